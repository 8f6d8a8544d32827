package org.pneumolab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class OverlayAndGridTest {

    private static BufferedImage gray(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    }

    @Test
    void evaluatedOverlayUsesTheSeedsColours() {
        Box truthHit = new Box(10, 10, 60, 60);
        Box truthMissed = new Box(150, 150, 200, 200);
        Detection hit = new Detection(new Box(12, 12, 62, 62), 0.9);
        Detection falsePositive = new Detection(new Box(100, 10, 140, 50), 0.4);
        BufferedImage out = BoxOverlay.evaluated(gray(256, 256), List.of(truthHit, truthMissed),
                List.of(falsePositive, hit), 0.5);
        // Left edges of each box, halfway down: the stroke is drawn there in the box's colour.
        assertEquals(BoxOverlay.TRUE_POSITIVE.getRGB(), out.getRGB(12, 37));
        assertEquals(BoxOverlay.FALSE_POSITIVE.getRGB(), out.getRGB(100, 30));
        assertEquals(BoxOverlay.MISSED.getRGB(), out.getRGB(150, 175));
        assertEquals(Color.BLACK.getRGB(), out.getRGB(230, 100), "background untouched");
    }

    @Test
    void gridHasOneCellPerImageInRowsOfColumns() {
        ImageGrid grid = new ImageGrid("t", 3, 64);
        for (int i = 0; i < 5; i++) {
            grid.add(gray(100, 50), "image " + i);
        }
        BufferedImage img = grid.toImage();
        assertEquals(5, grid.size());
        assertEquals(3 * (64 + 6) + 6, img.getWidth());
        assertTrue(img.getHeight() > 2 * 64, "two rows");
    }
}
