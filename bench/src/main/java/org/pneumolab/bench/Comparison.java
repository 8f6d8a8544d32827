package org.pneumolab.bench;

import java.util.List;

/**
 * A benchmark row group: contestants measured interleaved on the same work.
 *
 * @param reference the label of the contestant ratios are taken against; null means the best
 *                  peer contestant (PyTorch, Pillow, pydicom)
 */
public record Comparison(String title, Unit unit, List<Contestant> contestants, String note, String reference) {

    /** The same row with {@link Contestant#detached} contestants (in the same order). */
    public Comparison detached() {
        return new Comparison(title, unit, contestants.stream().map(Contestant::detached).toList(), note, reference);
    }

    /** Rates in {@code unit}, ratios against the best peer. */
    public Comparison(String title, String unit, List<Contestant> contestants, String note) {
        this(title, Unit.rate(unit), contestants, note, null);
    }
}
