package org.pneumolab.io;

/**
 * The most samples (rows x columns x samples per pixel) one decoded image may have. Checked from
 * the header before any decoder allocates: a 135 KB file whose header claims 14000 x 14000
 * would otherwise take gigabytes of heap, and a batch of files would end in an
 * {@link OutOfMemoryError}. The default fits any radiograph (the largest detectors are about
 * 4300 x 4300) with room to spare; set the system property {@value #PROPERTY}, or call
 * {@link #set}, for larger images.
 */
public final class PixelBudget {
    public static final String PROPERTY = "pneumolab.maxPixels";
    /** 40 million samples: 320 MB as the doubles a decoded frame is held in. */
    public static final long DEFAULT = 40_000_000L;

    private static volatile long max = fromProperty();

    private PixelBudget() {
    }

    private static long fromProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT;
        }
        try {
            long n = Long.parseLong(v.strip().replace("_", ""));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive whole number, got '" + v + "'");
        }
    }

    /** The current budget in samples. */
    public static long max() {
        return max;
    }

    /** Sets the budget for this JVM (tests, notebooks with unusually large images). */
    public static void set(long samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("pixel budget must be positive, got " + samples);
        }
        max = samples;
    }

    /**
     * Why an image of this size is refused, or null when it fits. The message names the size,
     * the budget and how to raise it.
     */
    public static String refusal(long rows, long columns, long samplesPerPixel) {
        long n = rows * columns * samplesPerPixel;
        if (n <= max) {
            return null;
        }
        return "image of " + rows + " x " + columns + (samplesPerPixel > 1 ? " x " + samplesPerPixel : "")
                + " samples exceeds the pixel budget of " + max + " (refused before decoding; raise it with -D"
                + PROPERTY + "=N)";
    }

    /** The message for an {@link OutOfMemoryError} met while decoding one image. */
    public static String outOfMemory(long rows, long columns) {
        return "out of memory decoding a " + rows + " x " + columns + " image (heap limit "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); skipped";
    }
}
