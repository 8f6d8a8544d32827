package org.pneumolab.viz;

import java.awt.Font;
import java.awt.Graphics2D;

/** Text sizing shared by the hand-drawn pictures (grids of images and matrices). */
public final class Fonts {
    /** Smallest size a label shrinks to; below it text is unreadable anyway. */
    public static final int MIN_SIZE = 8;

    private Fonts() {
    }

    /**
     * Sets on {@code g} the largest sans-serif font of {@code style}, from {@code size} down to
     * {@link #MIN_SIZE}, in which {@code text} fits {@code maxWidth} pixels, so that a long title
     * shrinks instead of running into its neighbour.
     */
    public static void shrinkToFit(Graphics2D g, String text, int style, int size, int maxWidth) {
        int s = size;
        g.setFont(new Font(Font.SANS_SERIF, style, s));
        while (s > MIN_SIZE && g.getFontMetrics().stringWidth(text) > maxWidth) {
            g.setFont(new Font(Font.SANS_SERIF, style, --s));
        }
    }
}
