package org.pneumolab.data;

/**
 * Seeds for training-time random streams: one per (base seed, epoch, sample), so each sample's
 * augmentation and each epoch's shuffle are the same whichever worker thread prepares them and in
 * whatever order. Free to change (it only has to be a good mix); contrast
 * {@code synth.FrozenSampleSeeds}, whose exact bits the generated sample depends on.
 */
final class TrainingStreamSeeds {
    private TrainingStreamSeeds() {
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
