package org.pneumolab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

class HeatmapTest {
    @Test
    void lowAndHighCellsGetTheEndsOfTheColourScale() {
        Heatmap h = new Heatmap("t", "x", List.of("a", "b"), "y", List.of("r"), new double[][] {{0.0, 1.0}})
                .numbers(false, "%.1f");
        BufferedImage img = h.toImage();
        int cell = 56;
        int left = 90;
        int top = 40;
        assertEquals(Heatmap.colour(0).getRGB(), img.getRGB(left + cell / 2, top + cell / 2));
        assertEquals(Heatmap.colour(1).getRGB(), img.getRGB(left + cell + cell / 2, top + cell / 2));
        assertNotEquals(Heatmap.colour(0).getRGB(), Heatmap.colour(1).getRGB());
    }

    @Test
    void shapeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Heatmap("t", "x", List.of("a"), "y", List.of("r"), new double[][] {{1, 2}}));
    }
}
