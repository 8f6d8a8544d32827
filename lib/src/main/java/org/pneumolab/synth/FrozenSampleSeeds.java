package org.pneumolab.synth;

/**
 * Derives independent seeds from the sample's one seed, so every image gets its own random
 * stream whatever order the parallel workers render them in (SplitMix64 finaliser, mixing a named
 * stream and an index).
 *
 * <p><b>Frozen:</b> every pixel and label of the generated sample, and so every number published
 * from it, depends on these exact bits. It mixes differently from {@code data.TrainingStreamSeeds}
 * for that reason alone; change it (or merge the two) only together with a recalibration of the
 * sample.
 */
final class FrozenSampleSeeds {
    private FrozenSampleSeeds() {
    }

    static long derive(long seed, String stream, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < stream.length(); i++) {
            h = mix(h ^ stream.charAt(i));
        }
        return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
