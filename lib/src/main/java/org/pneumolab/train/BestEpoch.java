package org.pneumolab.train;

import java.util.Locale;

import org.pneumolab.report.Format;

/**
 * The lab's one rule for the epoch a run keeps, shared by the detector trainer and the
 * classification heads: the epoch where the validation metric (higher is better) was highest; an
 * epoch where it is undefined (NaN) is never chosen; a tie keeps the earlier epoch; with no
 * defined value at any epoch, the last epoch. And the words every table prints for it.
 */
public final class BestEpoch {
    private BestEpoch() {
    }

    /** Whether {@code value} replaces the best so far ({@code best} null: none yet). */
    public static boolean improves(double value, Double best) {
        return !Double.isNaN(value) && (best == null || value > best);
    }

    /** "epoch 14 of 20, best val_rsna_metric (0.123)". */
    public static String note(int kept, int last, String metric, double value) {
        return String.format(Locale.ROOT, "epoch %d of %d, best %s (%s)", kept, last, metric, Format.rate(value));
    }

    /** "last epoch (20)", with why when a metric was asked for ({@code undefined} null: none was). */
    public static String lastNote(int last, String undefined) {
        return "last epoch (" + last + ")" + (undefined == null ? "" : ": " + undefined + " undefined at every epoch");
    }
}
