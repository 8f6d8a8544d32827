package org.pneumolab.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

import org.pneumolab.detect.Box;
import org.pneumolab.detect.Detection;

/**
 * Boxes drawn on a copy of an X-ray: ground truth in green, predictions in red with their score.
 * Boxes are in the image's own pixels.
 */
public final class BoxOverlay {
    public static final Color TRUTH = new Color(0, 200, 0);
    public static final Color PREDICTION = new Color(230, 30, 30);

    private BoxOverlay() {
    }

    public static BufferedImage draw(BufferedImage image, List<Box> truth, List<Detection> predictions, String caption) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.drawImage(image, 0, 0, null);
        float stroke = Math.max(2f, image.getWidth() / 256f);
        g.setStroke(new BasicStroke(stroke));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, image.getWidth() / 40)));
        g.setColor(TRUTH);
        for (Box b : truth) {
            rect(g, b);
        }
        g.setColor(PREDICTION);
        for (Detection d : predictions) {
            rect(g, d.box());
            g.drawString(String.format(Locale.ROOT, "%.2f", d.score()), (int) Math.round(d.box().x1()) + 3,
                    (int) Math.round(d.box().y1()) + g.getFontMetrics().getAscent());
        }
        if (caption != null && !caption.isEmpty()) {
            int h = g.getFontMetrics().getHeight() + 6;
            g.setColor(new Color(0, 0, 0, 170));
            g.fillRect(0, 0, out.getWidth(), h);
            g.setColor(Color.WHITE);
            g.drawString(caption, 6, h - 6 - g.getFontMetrics().getDescent());
        }
        g.dispose();
        return out;
    }

    private static void rect(Graphics2D g, Box b) {
        g.drawRect((int) Math.round(b.x1()), (int) Math.round(b.y1()), (int) Math.round(b.width()),
                (int) Math.round(b.height()));
    }
}
