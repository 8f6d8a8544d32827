package org.pneumolab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

/**
 * Draws boxes on an X-ray. {@link #evaluated} uses the published study's colours: true positives green,
 * false positives red, missed ground truth blue.
 */
public final class BoxOverlay {
    public static final Color TRUE_POSITIVE = new Color(40, 200, 60);
    public static final Color FALSE_POSITIVE = new Color(230, 40, 40);
    public static final Color MISSED = new Color(40, 120, 255);
    /** Ground truth and predictions when they are shown without matching. */
    public static final Color TRUTH = TRUE_POSITIVE;
    public static final Color PREDICTION = FALSE_POSITIVE;

    private BoxOverlay() {
    }

    /** A colour copy of {@code base} to draw on. */
    public static BufferedImage rgbCopy(BufferedImage base) {
        BufferedImage out = new BufferedImage(base.getWidth(), base.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(base, 0, 0, null);
        g.dispose();
        return out;
    }

    /**
     * Draws {@code boxes} (in the image's pixel coordinates) in one colour, with optional labels.
     *
     * @param labels one per box, or null for none
     */
    public static BufferedImage draw(BufferedImage base, List<Box> boxes, Color color, List<String> labels) {
        BufferedImage out = rgbCopy(base);
        Graphics2D g = graphics(out);
        for (int i = 0; i < boxes.size(); i++) {
            box(g, boxes.get(i), color, labels == null ? null : labels.get(i), out.getWidth());
        }
        g.dispose();
        return out;
    }

    /**
     * Matches predictions to ground truth greedily by confidence (IoU above {@code iouThreshold})
     * and colours them: matched predictions green, unmatched predictions red (with their score),
     * unmatched ground truth blue.
     */
    public static BufferedImage evaluated(BufferedImage base, List<Box> truth, List<Detection> predictions,
                                          double iouThreshold) {
        BufferedImage out = rgbCopy(base);
        Graphics2D g = graphics(out);
        List<Detection> sorted = new ArrayList<>(predictions);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        boolean[] used = new boolean[truth.size()];
        for (Detection d : sorted) {
            int best = -1;
            double bestIou = iouThreshold;
            for (int t = 0; t < truth.size(); t++) {
                double iou = truth.get(t).iou(d.box());
                if (!used[t] && iou > bestIou) {
                    best = t;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                used[best] = true;
            }
            box(g, d.box(), best >= 0 ? TRUE_POSITIVE : FALSE_POSITIVE,
                    String.format(Locale.ROOT, "%.2f", d.score()), out.getWidth());
        }
        for (int t = 0; t < truth.size(); t++) {
            if (!used[t]) {
                box(g, truth.get(t), MISSED, "missed", out.getWidth());
            }
        }
        g.dispose();
        return out;
    }

    /**
     * Ground truth in green and predictions in red with their scores, unmatched, with an optional
     * caption bar across the top (used for before/after comparisons of post-processing settings).
     */
    public static BufferedImage truthAndPredictions(BufferedImage base, List<Box> truth, List<Detection> predictions,
                                                    String caption) {
        BufferedImage out = rgbCopy(base);
        Graphics2D g = graphics(out);
        for (Box b : truth) {
            box(g, b, TRUTH, null, out.getWidth());
        }
        for (Detection d : predictions) {
            box(g, d.box(), PREDICTION, String.format(Locale.ROOT, "%.2f", d.score()), out.getWidth());
        }
        if (caption != null && !caption.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, out.getWidth() / 40)));
            int h = g.getFontMetrics().getHeight() + 6;
            g.setColor(new Color(0, 0, 0, 170));
            g.fillRect(0, 0, out.getWidth(), h);
            g.setColor(Color.WHITE);
            g.drawString(caption, 6, h - 6 - g.getFontMetrics().getDescent());
        }
        g.dispose();
        return out;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    private static void box(Graphics2D g, Box b, Color c, String label, int imageWidth) {
        float stroke = Math.max(2f, imageWidth / 256f);
        g.setStroke(new BasicStroke(stroke));
        g.setColor(c);
        g.drawRect((int) Math.round(b.x1()), (int) Math.round(b.y1()),
                (int) Math.round(b.width()), (int) Math.round(b.height()));
        if (label != null && !label.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, imageWidth / 48)));
            g.drawString(label, (float) b.x1() + stroke, (float) Math.max(b.y1() - stroke, 12));
        }
    }
}
