package org.pneumolab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.pneumolab.notebook.RendersAsImage;

/**
 * A titled grid of images with a caption under each, drawn as one picture. Each image is scaled
 * to fit a square cell, keeping its aspect ratio.
 */
public final class ImageGrid implements RendersAsImage {
    private static final int CAPTION_HEIGHT = 18;
    private static final int TITLE_HEIGHT = 26;
    private static final int GAP = 6;

    private final String title;
    private final int columns;
    private final int cell;
    private final List<BufferedImage> images = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();

    public ImageGrid(String title, int columns, int cellSize) {
        if (columns < 1 || cellSize < 16) {
            throw new IllegalArgumentException("columns >= 1 and cellSize >= 16 required");
        }
        this.title = title == null ? "" : title;
        this.columns = columns;
        this.cell = cellSize;
    }

    public ImageGrid add(BufferedImage image, String caption) {
        images.add(image);
        captions.add(caption == null ? "" : caption);
        return this;
    }

    public int size() {
        return images.size();
    }

    @Override
    public BufferedImage toImage() {
        int n = Math.max(1, images.size());
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int titleH = title.isEmpty() ? 0 : TITLE_HEIGHT;
        int w = cols * (cell + GAP) + GAP;
        int h = titleH + rows * (cell + CAPTION_HEIGHT + GAP) + GAP;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            if (!title.isEmpty()) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
                g.drawString(title, GAP, 18);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            if (images.isEmpty()) {
                g.drawString("(no images)", GAP, titleH + 20);
            }
            for (int i = 0; i < images.size(); i++) {
                int x0 = GAP + (i % cols) * (cell + GAP);
                int y0 = titleH + GAP + (i / cols) * (cell + CAPTION_HEIGHT + GAP);
                BufferedImage img = images.get(i);
                double s = Math.min((double) cell / img.getWidth(), (double) cell / img.getHeight());
                int dw = (int) Math.round(img.getWidth() * s);
                int dh = (int) Math.round(img.getHeight() * s);
                g.setColor(Color.BLACK);
                g.fillRect(x0, y0, cell, cell);
                g.drawImage(img, x0 + (cell - dw) / 2, y0 + (cell - dh) / 2, dw, dh, null);
                String cap = fit(captions.get(i), fm, cell);
                g.setColor(Color.DARK_GRAY);
                g.drawString(cap, x0, y0 + cell + 13);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (!t.isEmpty() && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
