package org.pneumolab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * The epoch mechanics both iterators share: a seeded permutation per epoch, cut into batches
 * that a {@link BatchPrefetcher} prepares ahead. A batch whose every image failed comes back
 * null from the builder and is skipped, so callers only ever see non-empty batches.
 */
final class EpochBatches<B> implements AutoCloseable {

    /** Builds one batch from sample indices; null when none of them could be loaded. */
    @FunctionalInterface
    interface Builder<B> {
        B build(int[] samples, int epoch);
    }

    private final int size;
    private final BatchOptions options;
    private final Builder<B> builder;
    private final EpochOrder epochOrder;
    private final BatchPrefetcher<B> prefetcher;
    private int epoch;
    private B lookahead;

    EpochBatches(int size, BatchOptions options, Builder<B> builder) {
        this(size, options, builder, 0, EpochOrder.of(options));
    }

    /** The constructor starts epoch {@code firstEpoch} (0 unless a run resumes). */
    EpochBatches(int size, BatchOptions options, Builder<B> builder, int firstEpoch, EpochOrder epochOrder) {
        if (firstEpoch < 0) {
            throw new IllegalArgumentException("first epoch must be >= 0, got " + firstEpoch);
        }
        this.size = size;
        this.options = options;
        this.builder = builder;
        this.epochOrder = epochOrder;
        this.prefetcher = new BatchPrefetcher<>(options.threads(), options.prefetch());
        this.epoch = firstEpoch - 1;
        nextEpoch();
    }

    /** Starts the next epoch (the first is started by the constructor). */
    void nextEpoch() {
        epoch++;
        lookahead = null;
        int[] order = epochOrder.order(size, epoch);
        List<Callable<B>> tasks = new ArrayList<>();
        int e = epoch;
        for (int from = 0; from < size; from += options.batchSize()) {
            int[] chunk = java.util.Arrays.copyOfRange(order, from, Math.min(size, from + options.batchSize()));
            tasks.add(() -> builder.build(chunk, e));
        }
        prefetcher.start(tasks);
    }

    /** The sample order of an epoch: file order, or a permutation seeded by (seed, epoch). */
    static int[] order(int size, boolean shuffle, long seed, int epoch) {
        if (shuffle) {
            return EpochOrder.permutation(size, new Random(TrainingStreamSeeds.mix(seed, epoch)));
        }
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        return idx;
    }

    int epoch() {
        return epoch;
    }

    boolean hasNext() {
        while (lookahead == null && prefetcher.hasNext()) {
            lookahead = prefetcher.next();
        }
        return lookahead != null;
    }

    B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches; call reset()");
        }
        B b = lookahead;
        lookahead = null;
        return b;
    }

    @Override
    public void close() {
        prefetcher.close();
    }
}
