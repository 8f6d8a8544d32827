package org.pneumolab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

import org.pneumolab.metrics.Experiment;
import org.pneumolab.metrics.ExperimentComparison;
import org.pneumolab.notebook.RendersAsImage;

/**
 * Confusion matrices of several experiments side by side, each headed by its name and threshold,
 * the whole titled with the split(s).
 */
public record ConfusionMatrixGrid(ExperimentComparison comparison, String negative, String positive)
        implements RendersAsImage {
    static final int PANEL_W = 380;
    static final int CELL = 120;

    public static ConfusionMatrixGrid kermany(ExperimentComparison comparison) {
        return new ConfusionMatrixGrid(comparison, "NORMAL", "PNEUMONIA");
    }

    public String title() {
        return "Confusion matrices, " + comparison.splits() + " split";
    }

    @Override
    public BufferedImage toImage() {
        List<Experiment> ex = comparison.experiments();
        int height = 96 + 2 * CELL + 60;
        BufferedImage img = new BufferedImage(PANEL_W * ex.size(), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            ConfusionMatrixImage.centered(g, title(), img.getWidth() / 2, 20);
            for (int i = 0; i < ex.size(); i++) {
                Experiment e = ex.get(i);
                int x0 = i * PANEL_W;
                g.setColor(Color.BLACK);
                // Name and numbers on two lines, each shrunk to its panel so neighbours never overlap.
                Fonts.shrinkToFit(g, e.name(), Font.BOLD, 13, PANEL_W - 12);
                ConfusionMatrixImage.centered(g, e.name(), x0 + PANEL_W / 2, 44);
                String sub = String.format(java.util.Locale.ROOT, "n=%d, threshold %.3f", e.report().n(),
                        e.report().cm().threshold());
                Fonts.shrinkToFit(g, sub, Font.PLAIN, 12, PANEL_W - 12);
                ConfusionMatrixImage.centered(g, sub, x0 + PANEL_W / 2, 62);
                new ConfusionMatrixImage(e.report(), negative, positive).draw(g, x0 + 80, 96, CELL);
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
