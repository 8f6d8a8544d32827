package org.pneumolab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

/** Titles shrink to their width, stop at the minimum size, and short ones keep their size. */
class FontsTest {
    @Test
    void shrinksLongTextAndKeepsShortText() {
        var g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
        Fonts.shrinkToFit(g, "NORMAL", Font.BOLD, 13, 400);
        assertEquals(13, g.getFont().getSize());

        String long_ = "reverse {normal 1, pneumonia 2.89} @ val-recall threshold";
        Fonts.shrinkToFit(g, long_, Font.BOLD, 13, 300);
        assertTrue(g.getFont().getSize() < 13);
        assertTrue(g.getFontMetrics().stringWidth(long_) <= 300);

        Fonts.shrinkToFit(g, long_.repeat(10), Font.PLAIN, 12, 50);
        assertEquals(Fonts.MIN_SIZE, g.getFont().getSize());
        g.dispose();
    }
}
