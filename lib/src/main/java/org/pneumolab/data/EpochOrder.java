package org.pneumolab.data;

/** The order in which an epoch visits its samples: a permutation of {@code 0..size-1}, fixed by the epoch. */
@FunctionalInterface
public interface EpochOrder {
    int[] order(int size, int epoch);

    /** The iterators' default: file order, or a permutation seeded by (seed, epoch). */
    static EpochOrder of(BatchOptions options) {
        return (size, epoch) -> EpochBatches.order(size, options.shuffle(), options.seed(), epoch);
    }
}
