package org.pneumolab.data;

import java.util.Random;

/** The order in which an epoch visits its samples: a permutation of {@code 0..size-1}, fixed by the epoch. */
@FunctionalInterface
public interface EpochOrder {
    int[] order(int size, int epoch);

    /** The iterators' default: file order, or a permutation seeded by (seed, epoch). */
    static EpochOrder of(BatchOptions options) {
        return (size, epoch) -> EpochBatches.order(size, options.shuffle(), options.seed(), epoch);
    }

    /**
     * The detector trainer's order: the permutation of {@link #permutation} with
     * {@code Random(seed * 1_000_003 + epoch)}, the rule detector runs have always used. It is not
     * {@link #of}'s seeding: switching would reorder every detector epoch and move notebook 04's
     * published numbers, so the rule keeps its name here instead of being merged.
     */
    static EpochOrder detector(long seed) {
        return (size, epoch) -> permutation(size, new Random(seed * 1_000_003L + epoch));
    }

    /**
     * The one shuffle kernel of the lab's epoch orders: a Fisher-Yates permutation of
     * {@code 0..size-1} drawing {@code rng.nextInt(i + 1)} for i from size-1 down to 1, the same
     * draws, in the same order, as {@code Collections.shuffle} of the identity list (the rule every
     * order has used), so each caller's batches are bit-for-bit those it always had.
     */
    static int[] permutation(int size, Random rng) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
