package org.pneumolab.sweep;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.notebook.RendersAsImage;
import org.pneumolab.viz.BoxOverlay;

/**
 * The same images before and after post-processing, side by side: one row per image, left the
 * {@code before} settings, right the {@code after} settings; ground truth green, predictions red.
 * Each panel is scaled to {@code panelSize} pixels.
 */
public record BeforeAfter(List<Row> rows, String beforeName, String afterName, int panelSize) implements RendersAsImage {
    /** One image: its picture, ground truth and both sets of predictions (in the picture's pixels). */
    public record Row(String imageId, BufferedImage image, List<Box> truth, List<Detection> before,
            List<Detection> after) {
    }

    public BeforeAfter {
        rows = List.copyOf(rows);
        if (panelSize < 32) {
            throw new IllegalArgumentException("panel size must be at least 32 pixels: " + panelSize);
        }
    }

    /**
     * Rows for {@code ids} from cached raw detections, each post-processed both ways. Boxes are in
     * original-image pixels, as the images {@code images} gives (e.g. {@code DicomImages.readGray8}).
     */
    public static BeforeAfter of(List<String> ids, ImageSource images, RawDetections raw,
            Map<String, List<Box>> groundTruth, String beforeName, PostProcess before, String afterName,
            PostProcess after, int panelSize) throws java.io.IOException {
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            List<Detection> dets = raw.detections().get(id);
            if (dets == null) {
                throw new IllegalArgumentException("image " + id + " is not in the " + raw.split() + " raw detections");
            }
            BufferedImage image;
            try {
                image = images.load(id);
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println("skipped: image " + id + ": " + e.getMessage()); // reported, the rest is drawn
                continue;
            }
            rows.add(new Row(id, image, groundTruth.getOrDefault(id, List.of()), before.apply(dets),
                    after.apply(dets)));
        }
        return new BeforeAfter(rows, beforeName, afterName, panelSize);
    }

    /** Loads the picture of one image. */
    @FunctionalInterface
    public interface ImageSource {
        BufferedImage load(String imageId) throws java.io.IOException;
    }

    @Override
    public BufferedImage toImage() {
        int gap = 6;
        BufferedImage out = new BufferedImage(2 * panelSize + 3 * gap, Math.max(1, rows.size()) * (panelSize + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y = gap + r * (panelSize + gap);
            BufferedImage left = BoxOverlay.truthAndPredictions(row.image(), row.truth(), row.before(), row.imageId() + ": " + beforeName);
            BufferedImage right = BoxOverlay.truthAndPredictions(row.image(), row.truth(), row.after(), row.imageId() + ": " + afterName);
            g.drawImage(left, gap, y, panelSize, panelSize, null);
            g.drawImage(right, 2 * gap + panelSize, y, panelSize, panelSize, null);
        }
        g.dispose();
        return out;
    }
}
