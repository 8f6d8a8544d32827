package org.pneumolab.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.notebook.RendersAsImage;

/**
 * The metric over score threshold (columns) x NMS IoU (rows) at the best shrink and maximum box
 * count, each cell coloured on a dark-blue-to-yellow scale (min to max of the map) and labelled
 * with its value; the best cell outlined in green, the published study's cell (nearest grid values) in red
 * dashes. A colour bar on the right gives the scale.
 */
public record SweepHeatmap(SweepResult result, PostProcess published) implements RendersAsImage {
    private static final int CELL_W = 64;
    private static final int CELL_H = 34;
    private static final int LEFT = 80;
    private static final int TOP = 56;
    private static final int BAR_W = 18;

    @Override
    public BufferedImage toImage() {
        SweepPoint best = result.best();
        double[] t = result.grid().scoreThresholds();
        double[] n = result.grid().nmsIous();
        double[][] v = result.thresholdByNms(best.shrink(), best.maxBoxes());
        double lo = Arrays.stream(v).flatMapToDouble(Arrays::stream).filter(d -> !Double.isNaN(d)).min().orElse(0);
        double hi = Arrays.stream(v).flatMapToDouble(Arrays::stream).filter(d -> !Double.isNaN(d)).max().orElse(1);
        int w = LEFT + t.length * CELL_W + 30 + BAR_W + 60;
        int h = TOP + n.length * CELL_H + 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(String.format(Locale.ROOT, "RSNA metric, %s split: score threshold x NMS IoU (shrink %s, max boxes %d)",
                result.split(), SweepCharts.fmt(best.shrink()), best.maxBoxes()), 8, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("green: best; red dashes: published setting (threshold " + SweepCharts.fmt(published.scoreThreshold())
                + ", NMS " + SweepCharts.fmt(published.nmsIou()) + ", nearest cell)", 8, 36);
        int publishedT = nearest(t, published.scoreThreshold());
        int publishedN = nearest(n, published.nmsIou());
        FontMetrics fm = g.getFontMetrics();
        for (int ni = 0; ni < n.length; ni++) {
            int y = TOP + ni * CELL_H;
            String label = "NMS " + SweepCharts.fmt(n[ni]);
            g.setColor(Color.BLACK);
            g.drawString(label, LEFT - 6 - fm.stringWidth(label), y + CELL_H / 2 + 4);
            for (int ti = 0; ti < t.length; ti++) {
                int x = LEFT + ti * CELL_W;
                double val = v[ni][ti];
                Color c = Double.isNaN(val) ? Color.LIGHT_GRAY : colour(hi > lo ? (val - lo) / (hi - lo) : 0.5);
                g.setColor(c);
                g.fillRect(x, y, CELL_W, CELL_H);
                g.setColor(luminance(c) > 0.5 ? Color.BLACK : Color.WHITE);
                String text = Double.isNaN(val) ? "n/a" : String.format(Locale.ROOT, "%.3f", val);
                g.drawString(text, x + (CELL_W - fm.stringWidth(text)) / 2, y + CELL_H / 2 + 4);
            }
        }
        for (int ti = 0; ti < t.length; ti++) {
            String label = SweepCharts.fmt(t[ti]);
            g.setColor(Color.BLACK);
            g.drawString(label, LEFT + ti * CELL_W + (CELL_W - fm.stringWidth(label)) / 2, TOP + n.length * CELL_H + 16);
        }
        String xTitle = "score threshold";
        g.drawString(xTitle, LEFT + (t.length * CELL_W - fm.stringWidth(xTitle)) / 2, TOP + n.length * CELL_H + 34);
        outline(g, Arrays.binarySearch(t, best.scoreThreshold()), Arrays.binarySearch(n, best.nmsIou()),
                new Color(0, 170, 0), new BasicStroke(3f));
        outline(g, publishedT, publishedN, new Color(220, 0, 0), new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {5f, 3f}, 0f));
        colourBar(g, LEFT + t.length * CELL_W + 30, TOP, n.length * CELL_H, lo, hi);
        g.dispose();
        return img;
    }

    private static void outline(Graphics2D g, int ti, int ni, Color c, BasicStroke stroke) {
        g.setColor(c);
        g.setStroke(stroke);
        g.drawRect(LEFT + ti * CELL_W + 2, TOP + ni * CELL_H + 2, CELL_W - 4, CELL_H - 4);
        g.setStroke(new BasicStroke(1f));
    }

    private static void colourBar(Graphics2D g, int x, int y, int height, double lo, double hi) {
        for (int k = 0; k < height; k++) {
            g.setColor(colour(1 - (double) k / (height - 1)));
            g.drawLine(x, y + k, x + BAR_W, y + k);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, y, BAR_W, height);
        g.drawString(String.format(Locale.ROOT, "%.3f", hi), x + BAR_W + 4, y + 10);
        g.drawString(String.format(Locale.ROOT, "%.3f", lo), x + BAR_W + 4, y + height);
    }

    private static int nearest(double[] values, double v) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) {
                best = i;
            }
        }
        return best;
    }

    /** A viridis-like scale: dark blue (0) through teal and green to yellow (1). */
    static Color colour(double f) {
        double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double p = Math.max(0, Math.min(1, f)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) p);
        double r = p - i;
        return new Color((int) Math.round(stops[i][0] + r * (stops[i + 1][0] - stops[i][0])),
                (int) Math.round(stops[i][1] + r * (stops[i + 1][1] - stops[i][1])),
                (int) Math.round(stops[i][2] + r * (stops[i + 1][2] - stops[i][2])));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
    }
}
