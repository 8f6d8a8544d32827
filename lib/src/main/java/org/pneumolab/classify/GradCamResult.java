package org.pneumolab.classify;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.notebook.RendersAsImage;

/**
 * Grad-CAM heatmaps for a batch of images: per image a [H][W] map in [0, 1] at input
 * resolution. Renders as a titled grid of the images with a jet-coloured overlay and, under each,
 * its true class (when known) and the model's P(pneumonia).
 *
 * @param title  the grid's title (model, layer, split)
 * @param truths true class per image ("PNEUMONIA" / "NORMAL"), or empty when unknown
 */
public record GradCamResult(String layer, INDArray pixels, float[][][] heatmaps, double[] scores, String title,
                            java.util.List<String> truths) implements RendersAsImage {
    public GradCamResult {
        truths = java.util.List.copyOf(truths);
        if (!truths.isEmpty() && truths.size() != scores.length) {
            throw new IllegalArgumentException(truths.size() + " true classes for " + scores.length + " images");
        }
    }

    public GradCamResult(String layer, INDArray pixels, float[][][] heatmaps, double[] scores) {
        this(layer, pixels, heatmaps, scores, "Grad-CAM of P(pneumonia) at " + layer, java.util.List.of());
    }

    /** The same maps with a title and each image's true class for the picture. */
    public GradCamResult labelled(String newTitle, java.util.List<String> newTruths) {
        return new GradCamResult(layer, pixels, heatmaps, scores, newTitle, newTruths);
    }
    private static final int CELL = 192;
    private static final int COLUMNS = 4;
    private static final float ALPHA = 0.45f;

    /** Row and column of the hottest pixel of image {@code i}. */
    public int[] peak(int i) {
        float[][] m = heatmaps[i];
        int br = 0;
        int bc = 0;
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                if (m[r][c] > m[br][bc]) {
                    br = r;
                    bc = c;
                }
            }
        }
        return new int[]{br, bc};
    }

    /** Image {@code i} with its heatmap overlaid, at input resolution. */
    public BufferedImage overlay(int i) {
        int h = heatmaps[i].length;
        int w = heatmaps[i][0].length;
        INDArray img = pixels.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(0));
        double max = Math.max(1e-9, img.maxNumber().doubleValue());
        double scale = max > 1.5 ? 1.0 : 255.0; // accept 0..1 or 0..255 pixels
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float g = (float) Math.min(1, Math.max(0, img.getDouble(y, x) * scale / 255.0));
                float[] jet = jet(heatmaps[i][y][x]);
                float r = (1 - ALPHA) * g + ALPHA * jet[0];
                float gg = (1 - ALPHA) * g + ALPHA * jet[1];
                float b = (1 - ALPHA) * g + ALPHA * jet[2];
                out.setRGB(x, y, new Color(r, gg, b).getRGB());
            }
        }
        return out;
    }

    /** The classic jet colour map: blue (0) -> cyan -> yellow -> red (1). */
    static float[] jet(float v) {
        float t = Math.max(0, Math.min(1, v));
        float r = clamp(1.5f - Math.abs(4 * t - 3));
        float g = clamp(1.5f - Math.abs(4 * t - 2));
        float b = clamp(1.5f - Math.abs(4 * t - 1));
        return new float[]{r, g, b};
    }

    private static float clamp(float v) {
        return Math.max(0, Math.min(1, v));
    }

    @Override
    public BufferedImage toImage() {
        int n = heatmaps.length;
        int cols = Math.min(COLUMNS, n);
        int rows = (n + cols - 1) / cols;
        int label = 18;
        int top = 26;
        BufferedImage grid = new BufferedImage(cols * CELL, top + rows * (CELL + label), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        g.setColor(Color.BLACK);
        org.pneumolab.viz.Fonts.shrinkToFit(g, title, Font.BOLD, 13, grid.getWidth() - 8);
        g.drawString(title, 4, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < n; i++) {
            int x = (i % cols) * CELL;
            int y = top + (i / cols) * (CELL + label);
            g.drawImage(overlay(i), x, y, CELL, CELL, null);
            String caption = truths.isEmpty()
                    ? String.format(Locale.ROOT, "P(pneumonia) %.2f", scores[i])
                    : String.format(Locale.ROOT, "true %s, P=%.2f", truths.get(i), scores[i]);
            g.drawString(caption, x + 4, y + CELL + 13);
        }
        g.dispose();
        return grid;
    }
}
