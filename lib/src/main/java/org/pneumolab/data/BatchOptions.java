package org.pneumolab.data;

import org.pneumolab.image.AugmentSpec;

/**
 * How an iterator walks its samples: batch size, per-epoch shuffling and augmentation (both
 * seeded), and background preparation ({@code threads} workers, up to {@code prefetch} batches
 * ahead).
 */
public record BatchOptions(int batchSize, boolean shuffle, AugmentSpec augment, long seed, int threads, int prefetch) {

    public BatchOptions {
        if (batchSize < 1 || threads < 1 || prefetch < 1) {
            throw new IllegalArgumentException("batchSize, threads and prefetch must be >= 1: " + batchSize
                    + ", " + threads + ", " + prefetch);
        }
    }

    /** Training: shuffled every epoch, mildly augmented, 2 workers, 2 batches ahead. */
    public static BatchOptions training(int batchSize, long seed) {
        return new BatchOptions(batchSize, true, AugmentSpec.mild(), seed, 2, 2);
    }

    /** Evaluation: file order, no augmentation. */
    public static BatchOptions evaluation(int batchSize) {
        return new BatchOptions(batchSize, false, AugmentSpec.none(), 0, 2, 2);
    }

    public BatchOptions withAugment(AugmentSpec a) {
        return new BatchOptions(batchSize, shuffle, a, seed, threads, prefetch);
    }

    public BatchOptions withShuffle(boolean s) {
        return new BatchOptions(batchSize, s, augment, seed, threads, prefetch);
    }

    public BatchOptions withThreads(int t, int ahead) {
        return new BatchOptions(batchSize, shuffle, augment, seed, t, ahead);
    }
}
