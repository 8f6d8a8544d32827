package org.pneumolab.dicom;

/** Maps a modality value to a display gray level 0..255. */
sealed interface DisplayMapping {
    int apply(double value);

    static DisplayMapping window(double center, double width) {
        return new Window(center, width);
    }

    static DisplayMapping minMax(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new MinMax(min, max);
    }

    static DisplayMapping identity8() {
        return new MinMax(0, 255);
    }

    private static int clamp(double y) {
        long r = Math.round(y);
        return r < 0 ? 0 : (int) Math.min(255, r);
    }

    /** The linear VOI LUT function of PS3.3 C.11.2.1.2.1. */
    record Window(double center, double width) implements DisplayMapping {
        @Override
        public int apply(double x) {
            double lo = center - 0.5 - (width - 1) / 2;
            double hi = center - 0.5 + (width - 1) / 2;
            if (x <= lo) {
                return 0;
            }
            if (x > hi) {
                return 255;
            }
            return clamp(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
        }
    }

    /** Stretches min..max to 0..255; a constant frame maps to 0. */
    record MinMax(double min, double max) implements DisplayMapping {
        @Override
        public int apply(double x) {
            return max > min ? clamp((x - min) / (max - min) * 255) : 0;
        }
    }
}
