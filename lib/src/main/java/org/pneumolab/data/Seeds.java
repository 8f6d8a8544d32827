package org.pneumolab.data;

/**
 * Derives independent seeds from a base seed and indices (epoch, sample), so that each sample's
 * augmentation is the same whichever worker thread prepares it and in whatever order.
 */
final class Seeds {
    private Seeds() {
    }

    static long mix(long seed, long... parts) {
        long h = splitMix(seed);
        for (long p : parts) {
            h = splitMix(h ^ splitMix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** SplitMix64's finaliser: a cheap bijection that spreads nearby inputs far apart. */
    private static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
