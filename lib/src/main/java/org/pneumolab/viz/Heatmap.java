package org.pneumolab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

import org.pneumolab.notebook.RendersAsImage;

/**
 * A labelled grid of values drawn as colours (dark blue low, yellow high), with axis titles, a
 * colour bar, optional numbers in the cells and optional marked cells (e.g. a published setting).
 * Rows are drawn top to bottom in the order given.
 */
public final class Heatmap implements RendersAsImage {
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<String> xLabels;
    private final List<String> yLabels;
    private final double[][] values;
    private boolean showNumbers = true;
    private String numberFormat = "%.3f";
    private int[][] marks = new int[0][];
    private String markLegend = "";

    /** {@code values[row][column]}, rows labelled by {@code yLabels}, columns by {@code xLabels}. */
    public Heatmap(String title, String xTitle, List<String> xLabels, String yTitle, List<String> yLabels,
                   double[][] values) {
        if (values.length != yLabels.size()) {
            throw new IllegalArgumentException("values has " + values.length + " rows, yLabels " + yLabels.size());
        }
        for (double[] row : values) {
            if (row.length != xLabels.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " values, xLabels " + xLabels.size());
            }
        }
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.xLabels = List.copyOf(xLabels);
        this.yLabels = List.copyOf(yLabels);
        this.values = values;
    }

    public Heatmap numbers(boolean show, String format) {
        this.showNumbers = show;
        this.numberFormat = format;
        return this;
    }

    /** Outlines cells ({row, column} pairs) and explains the outline under the chart. */
    public Heatmap mark(String legend, int[]... cells) {
        this.marks = cells;
        this.markLegend = legend;
        return this;
    }

    /** Viridis-like colour for t in [0, 1]. */
    static Color colour(double t) {
        if (Double.isNaN(t)) {
            return Color.LIGHT_GRAY;
        }
        t = Math.max(0, Math.min(1, t));
        float[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double p = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(p));
        double f = p - i;
        int r = (int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
        int g = (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
        int b = (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
        return new Color(r, g, b);
    }

    @Override
    public BufferedImage toImage() {
        int rows = yLabels.size();
        int cols = xLabels.size();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            min = 0;
            max = 1;
        }
        int cell = Math.max(14, Math.min(56, 560 / Math.max(cols, rows)));
        int left = 90;
        int top = 40;
        int gridW = cols * cell;
        int gridH = rows * cell;
        int width = left + gridW + 110;
        int height = top + gridH + 70;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 8, 20);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(11, Math.max(8, cell / 4)));
            g.setFont(small);
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = values[r][c];
                    double t = max > min ? (v - min) / (max - min) : 0.5;
                    g.setColor(colour(t));
                    g.fillRect(left + c * cell, top + r * cell, cell, cell);
                    if (showNumbers && cell >= 28 && !Double.isNaN(v)) {
                        String s = String.format(Locale.ROOT, numberFormat, v);
                        g.setColor(t > 0.6 ? Color.BLACK : Color.WHITE);
                        g.drawString(s, left + c * cell + (cell - fm.stringWidth(s)) / 2,
                                top + r * cell + cell / 2 + fm.getAscent() / 2 - 1);
                    }
                }
            }
            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(3f));
            for (int[] m : marks) {
                g.drawRect(left + m[1] * cell + 1, top + m[0] * cell + 1, cell - 2, cell - 2);
            }
            g.setColor(Color.BLACK);
            int step = Math.max(1, (int) Math.ceil(fm.getHeight() / (double) cell));
            for (int r = 0; r < rows; r += step) {
                String s = yLabels.get(r);
                g.drawString(s, left - 4 - fm.stringWidth(s), top + r * cell + cell / 2 + fm.getAscent() / 2);
            }
            int xStep = Math.max(1, (int) Math.ceil((fm.stringWidth("0.000") + 4) / (double) cell));
            for (int c = 0; c < cols; c += xStep) {
                String s = xLabels.get(c);
                g.drawString(s, left + c * cell + (cell - fm.stringWidth(s)) / 2, top + gridH + 14);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            fm = g.getFontMetrics();
            g.drawString(xTitle, left + (gridW - fm.stringWidth(xTitle)) / 2, top + gridH + 32);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yTitle, -(top + (gridH + fm.stringWidth(yTitle)) / 2), 14);
            g.setTransform(saved);
            if (!markLegend.isEmpty() && marks.length > 0) {
                g.setColor(Color.RED);
                g.drawString("▭ " + markLegend, left, top + gridH + 52);
            }
            int barX = left + gridW + 20;
            for (int y = 0; y < gridH; y++) {
                g.setColor(colour(1.0 - (double) y / Math.max(1, gridH - 1)));
                g.drawLine(barX, top + y, barX + 14, top + y);
            }
            g.setColor(Color.BLACK);
            g.setFont(small);
            g.drawString(String.format(Locale.ROOT, numberFormat, max), barX + 18, top + 10);
            g.drawString(String.format(Locale.ROOT, numberFormat, min), barX + 18, top + gridH);
        } finally {
            g.dispose();
        }
        return img;
    }
}
