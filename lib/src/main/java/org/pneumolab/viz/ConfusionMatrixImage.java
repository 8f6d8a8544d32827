package org.pneumolab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

import org.pneumolab.metrics.BinaryReport;
import org.pneumolab.metrics.ConfusionMatrix;
import org.pneumolab.notebook.RendersAsImage;

/**
 * A 2 x 2 confusion matrix picture: actual class in rows, predicted class in columns, each cell
 * with its count and its rate within the actual class (so the diagonal reads as specificity and
 * sensitivity), shaded by that rate. Titled with the split, n and threshold.
 *
 * @param report   the results to show
 * @param negative name of class 0 (e.g. "NORMAL")
 * @param positive name of class 1 (e.g. "PNEUMONIA")
 */
public record ConfusionMatrixImage(BinaryReport report, String negative, String positive) implements RendersAsImage {
    static final int WIDTH = 460;
    static final int HEIGHT = 400;
    /** Top-left corner and side of the 2 x 2 grid, in the image of {@link #toImage()}. */
    static final int GRID_X = 130;
    static final int GRID_Y = 70;
    static final int CELL = 150;

    /** Kermany's classes: 0 NORMAL, 1 PNEUMONIA. */
    public static ConfusionMatrixImage kermany(BinaryReport report) {
        return new ConfusionMatrixImage(report, "NORMAL", "PNEUMONIA");
    }

    public String title() {
        return String.format(Locale.ROOT, "Confusion matrix, %s split (n=%d, threshold %.3f)", report.split(),
                report.n(), report.cm().threshold());
    }

    @Override
    public BufferedImage toImage() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            centered(g, title(), WIDTH / 2, 24);
            draw(g, GRID_X, GRID_Y, CELL);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Draws the grid with its axis labels; the grid's top-left corner is (x, y). */
    void draw(Graphics2D g, int x, int y, int cell) {
        ConfusionMatrix cm = report.cm();
        // rows: actual negative, actual positive; columns: predicted negative, predicted positive
        int[][] counts = {{cm.tn(), cm.fp()}, {cm.fn(), cm.tp()}};
        String[][] names = {{"TN", "FP"}, {"FN", "TP"}};
        String[] classes = {negative, positive};
        for (int r = 0; r < 2; r++) {
            int rowTotal = counts[r][0] + counts[r][1];
            for (int c = 0; c < 2; c++) {
                double rate = rowTotal == 0 ? Double.NaN : (double) counts[r][c] / rowTotal;
                int cx = x + c * cell;
                int cy = y + r * cell;
                g.setColor(shade(rate));
                g.fillRect(cx, cy, cell, cell);
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(cx, cy, cell, cell);
                g.setColor(Double.isNaN(rate) || rate < 0.55 ? Color.BLACK : Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                centered(g, names[r][c], cx + cell / 2, cy + cell / 2 - 22);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, cell / 7)));
                centered(g, Integer.toString(counts[r][c]), cx + cell / 2, cy + cell / 2 + 6);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                centered(g, Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%.1f%% of actual", 100 * rate),
                        cx + cell / 2, cy + cell / 2 + 26);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < 2; i++) {
            centered(g, classes[i], x + i * cell + cell / 2, y - 6);
        }
        centered(g, "Predicted class (count; % of the actual class)", x + cell, y + 2 * cell + 20);
        AffineTransform saved = g.getTransform();
        for (int i = 0; i < 2; i++) {
            g.rotate(-Math.PI / 2, x - 10, y + i * cell + cell / 2.0);
            centered(g, classes[i], x - 10, y + i * cell + cell / 2 + 4);
            g.setTransform(saved);
        }
        g.rotate(-Math.PI / 2, x - 34, y + cell);
        centered(g, "Actual class", x - 34, y + cell + 4);
        g.setTransform(saved);
    }

    /** White at rate 0 to dark blue at rate 1; light grey when undefined. */
    static Color shade(double rate) {
        if (Double.isNaN(rate)) {
            return new Color(235, 235, 235);
        }
        double t = Math.max(0, Math.min(1, rate));
        return new Color((int) Math.round(255 - t * (255 - 8)), (int) Math.round(255 - t * (255 - 48)),
                (int) Math.round(255 - t * (255 - 107)));
    }

    static void centered(Graphics2D g, String s, int cx, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, cx - fm.stringWidth(s) / 2, baseline);
    }
}
