package org.pneumolab.bench;

import java.util.List;
import java.util.Locale;

/**
 * Whether a row's figures can be published. The 30 Nov 2026 run printed peer figures 3x to 35x
 * slower than the same peers alone, with spreads of 59% and 602%, and those ratios reached the
 * README. A row is unreliable when any contestant's spread (max - min) / median exceeds
 * {@link #MAX_SPREAD}, or when a peer's in-bench median and its standalone twin's (the same work
 * in a fresh process, nothing of ours running) differ by more than {@link #MAX_TWIN_GAP}
 * (as max/min - 1, in speed, either direction), or when a peer's twin could not be measured.
 */
public final class Reliability {
    public static final double MAX_SPREAD = 0.20;
    public static final double MAX_TWIN_GAP = 0.15;

    private Reliability() {
    }

    /** Why the row's outcomes are unreliable, or null when they are fit to publish. */
    public static String problem(List<Harness.Outcome> outcomes) {
        StringBuilder why = new StringBuilder();
        for (Harness.Outcome o : outcomes) {
            if (o.stats() == null) {
                continue; // skipped or failed: it says so in its own cell
            }
            String who = o.contestant().label();
            if (o.stats().spreadPercent() > 100 * MAX_SPREAD) {
                append(why, String.format(Locale.ROOT, "%s spread %.0f%% > %.0f%%", who, o.stats().spreadPercent(),
                        100 * MAX_SPREAD));
            }
            if (o.contestant().standalone() != null) {
                if (o.standalone() == null) {
                    append(why, who + " standalone twin not measured (" + o.twinProblem() + ")");
                } else {
                    double gap = gap(o.stats().median(), o.standalone().median());
                    if (gap > MAX_TWIN_GAP) {
                        append(why, String.format(Locale.ROOT, "%s in bench %.3g vs standalone %.3g (%.0f%% apart > %.0f%%)",
                                who, o.stats().median(), o.standalone().median(), 100 * gap, 100 * MAX_TWIN_GAP));
                    }
                }
            }
        }
        return why.length() == 0 ? null : why.toString();
    }

    /**
     * {@code unfit} (why no peer figure of the run can be published, e.g. {@link PeerBlas}) when a
     * peer of this row produced a figure, else null: a row with no peer figure has nothing to doubt.
     */
    public static String peerUnfit(List<Harness.Outcome> outcomes, String unfit) {
        if (unfit == null) {
            return null;
        }
        boolean peerMeasured = outcomes.stream().anyMatch(o -> !o.contestant().ours() && o.stats() != null);
        return peerMeasured ? unfit : null;
    }

    /** {@code max(a, b) / min(a, b) - 1}: the same in a time unit and a rate unit. */
    static double gap(double a, double b) {
        return Math.max(a, b) / Math.min(a, b) - 1;
    }

    private static void append(StringBuilder b, String s) {
        b.append(b.length() == 0 ? "" : "; ").append(s);
    }
}
