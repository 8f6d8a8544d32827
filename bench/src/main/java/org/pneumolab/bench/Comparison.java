package org.pneumolab.bench;

import java.util.List;

/**
 * A benchmark row group: contestants measured interleaved on the same work.
 *
 * @param reference the label of the contestant ratios are taken against; null means the best
 *                  peer contestant (PyTorch, Pillow, pydicom)
 */
public record Comparison(String title, Unit unit, List<Contestant> contestants, String note, String reference,
                         Runnable done) {

    public Comparison(String title, Unit unit, List<Contestant> contestants, String note, String reference) {
        this(title, unit, contestants, note, reference, null);
    }

    /**
     * The same row, and {@code done} to run once it is measured: what frees the row's caches
     * (a detector's {@code releaseCaches}) so they do not sit under the next row.
     */
    public Comparison whenDone(Runnable then) {
        return new Comparison(title, unit, contestants, note, reference, then);
    }

    /** The same row with {@link Contestant#detached} contestants (in the same order), and nothing left to do. */
    public Comparison detached() {
        return new Comparison(title, unit, contestants.stream().map(Contestant::detached).toList(), note, reference, null);
    }

    /** Rates in {@code unit}, ratios against the best peer. */
    public Comparison(String title, String unit, List<Contestant> contestants, String note) {
        this(title, Unit.rate(unit), contestants, note, null);
    }
}
