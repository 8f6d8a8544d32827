package org.pneumolab.notebook;

import java.awt.image.BufferedImage;

/**
 * A result that shows itself as a picture. In a notebook it renders inline as PNG when it is a
 * cell's last expression or passed to {@code display}; elsewhere {@link #toImage()} can be saved.
 */
public interface RendersAsImage {
    BufferedImage toImage();
}
