package org.pneumolab.image;

import org.junit.jupiter.api.Test;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResizeTest {

    @Test
    void keepAspectPadsCentredAndBoxesFollowBothWays() {
        // A 1000 x 500 landscape into 256 x 256: scale 0.256, content 256 x 128, 64 px bars top and bottom.
        ResizeGeometry g = ResizeGeometry.keepAspect(1000, 500, 256, 256);
        assertEquals(256, g.contentWidth());
        assertEquals(128, g.contentHeight());
        assertEquals(0, g.padLeft());
        assertEquals(64, g.padTop());
        Box b = Box.fromXywh(250, 100, 500, 200);
        Box t = g.toTarget(b);
        assertEquals(64.0, t.x1(), 1e-9);
        assertEquals(25.6 + 64, t.y1(), 1e-9);
        assertEquals(192.0, t.x2(), 1e-9);
        assertEquals(76.8 + 64, t.y2(), 1e-9);
        Box back = g.toSource(t);
        assertEquals(b.x1(), back.x1(), 1e-9);
        assertEquals(b.y2(), back.y2(), 1e-9);
        // A prediction reaching into the padding is clipped to the original image.
        Box clipped = g.toSource(new Box(-10, 10, 300, 250));
        assertEquals(new Box(0, 0, 1000, 500), clipped);
    }

    @Test
    void stretchScalesEachAxis() {
        ResizeGeometry g = ResizeGeometry.stretch(1024, 1024, 224, 224);
        Box t = g.toTarget(new Box(512, 256, 1024, 768));
        assertEquals(new Box(112, 56, 224, 168), t);
        assertEquals(new Box(512, 256, 1024, 768), g.toSource(t));
    }

    @Test
    void paddedPixelsLandWhereTheBoxesSay() {
        // A bright 20 x 10 block at (40, 20) in a 100 x 50 image; after a padded resize to 64 x 64 the
        // block's box must cover exactly the bright pixels.
        GrayImage img = GrayImage.blank(100, 50);
        for (int y = 20; y < 30; y++) {
            for (int x = 40; x < 60; x++) {
                img.set(x, y, 200);
            }
        }
        ResizeGeometry g = ResizeGeometry.keepAspect(100, 50, 64, 64);
        GrayImage out = Resize.into(img, g, Interpolation.AREA);
        Box t = g.toTarget(Box.fromXywh(40, 20, 20, 10));
        assertEquals(new Box(25.6, 16 + 12.8, 38.4, 16 + 19.2), t);
        // Pixels fully inside the box are bright, those well outside are dark.
        assertEquals(200, out.get(30, 31), 1e-3);
        assertEquals(0, out.get(20, 31), 1e-3);
        assertEquals(0, out.get(30, 10), 1e-3); // padding bar
    }

    @Test
    void areaAveragesExactlyAndBilinearInterpolatesCentres() {
        GrayImage img = new GrayImage(4, 2, new float[]{0, 10, 20, 30, 40, 50, 60, 70});
        GrayImage half = Resize.to(img, 2, 1, Interpolation.AREA);
        assertEquals((0 + 10 + 40 + 50) / 4f, half.get(0, 0), 1e-4);
        assertEquals((20 + 30 + 60 + 70) / 4f, half.get(1, 0), 1e-4);
        // Non-integer factor: 3 -> 2 px, each target covers 1.5 source pixels.
        GrayImage row = Resize.to(new GrayImage(3, 1, new float[]{0, 30, 90}), 2, 1, Interpolation.AREA);
        assertEquals((0 + 30 * 0.5) / 1.5, row.get(0, 0), 1e-4);
        assertEquals((30 * 0.5 + 90) / 1.5, row.get(1, 0), 1e-4);
        // Enlarging 2 -> 4 bilinear: centres at 0.25, 0.75 of the gap (OpenCV convention).
        GrayImage up = Resize.to(new GrayImage(2, 1, new float[]{0, 100}), 4, 1, Interpolation.BILINEAR);
        assertEquals(0, up.get(0, 0), 1e-4);
        assertEquals(25, up.get(1, 0), 1e-4);
        assertEquals(75, up.get(2, 0), 1e-4);
        assertEquals(100, up.get(3, 0), 1e-4);
    }

    @Test
    void colourImagesBecomeLuminance() {
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(2, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x808080);
        GrayImage g = GrayImage.from(rgb);
        assertEquals(0.299 * 255, g.get(0, 0), 1e-3);
        assertEquals(128, g.get(1, 0), 1e-3);
    }
}
