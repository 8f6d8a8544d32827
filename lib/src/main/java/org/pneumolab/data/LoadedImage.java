package org.pneumolab.data;

import java.util.List;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.GrayImage;

/**
 * An image in canvas pixels, its boxes in canvas pixels (after resize, padding and any
 * augmentation) and the resize geometry, which takes a box predicted on the canvas back to the
 * original image's pixels. Augmentation is a training-only change of the canvas, so the geometry
 * stays that of the resize: predictions are only mapped back for unaugmented images.
 */
public record LoadedImage(GrayImage image, List<Box> boxes, ResizeGeometry geometry) {
    public LoadedImage {
        boxes = List.copyOf(boxes);
    }
}
