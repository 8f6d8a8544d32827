package org.pneumolab.data;

import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.GrayImage;

/**
 * A decoded image resized into the pipeline's canvas (0..255, integer-valued, before
 * normalisation) and the geometry that maps boxes between the original and the canvas.
 * This is what {@link TensorCache} stores.
 */
public record PreparedImage(GrayImage image, ResizeGeometry geometry) {
}
