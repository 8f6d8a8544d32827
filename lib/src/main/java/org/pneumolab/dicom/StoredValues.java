package org.pneumolab.dicom;

/** Turning raw sample bits into stored values, and stored values into modality or RGB values. */
final class StoredValues {
    private StoredValues() {
    }

    /** Keeps the low {@code bitsStored} bits (higher bits may hold overlays) and applies the sign. */
    static double interpret(long raw, int bitsStored, boolean signed) {
        long mask = bitsStored >= 64 ? -1L : (1L << bitsStored) - 1;
        long v = raw & mask;
        if (signed && bitsStored < 64 && (v & (1L << (bitsStored - 1))) != 0) {
            v -= 1L << bitsStored;
        }
        return v;
    }

    /** Modality rescale in place for grayscale frames. */
    static void rescale(double[] values, PixelInfo info) {
        if (info.samplesPerPixel() != 1 || !info.hasRescale()) {
            return;
        }
        double slope = info.rescaleSlope();
        double intercept = info.rescaleIntercept();
        for (int i = 0; i < values.length; i++) {
            values[i] = values[i] * slope + intercept;
        }
    }

    /**
     * YBR_FULL (as JPEG's YCbCr) to RGB in place, with the coefficients of PS3.3 C.7.6.3.1.2,
     * rounded half up and clipped to the sample range.
     */
    static void ybrFullToRgb(double[] v, int bitsStored) {
        double max = (1L << Math.min(bitsStored, 32)) - 1;
        double half = (max + 1) / 2;
        for (int i = 0; i + 2 < v.length; i += 3) {
            double y = v[i];
            double cb = v[i + 1] - half;
            double cr = v[i + 2] - half;
            double r = y + 1.402 * cr;
            double g = y - (0.114 * 1.772 / 0.587) * cb - (0.299 * 1.402 / 0.587) * cr;
            double b = y + 1.772 * cb;
            v[i] = clip(Math.floor(r + 0.5), max);
            v[i + 1] = clip(Math.floor(g + 0.5), max);
            v[i + 2] = clip(Math.floor(b + 0.5), max);
        }
    }

    private static double clip(double x, double max) {
        return x < 0 ? 0 : Math.min(x, max);
    }
}
