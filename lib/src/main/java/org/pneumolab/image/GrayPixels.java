package org.pneumolab.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Row-major 8-bit gray pixels of an image, without a copy when it already is TYPE_BYTE_GRAY. */
final class GrayPixels {
    private GrayPixels() {
    }

    static byte[] of(BufferedImage img) {
        BufferedImage gray = img;
        if (img.getType() != BufferedImage.TYPE_BYTE_GRAY || img.getRaster().getParent() != null
                || img.getRaster().getDataBuffer().getSize() != img.getWidth() * img.getHeight()) {
            gray = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = gray.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        }
        return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    }
}
