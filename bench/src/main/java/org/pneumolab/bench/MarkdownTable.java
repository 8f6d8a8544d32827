package org.pneumolab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as Markdown: per contestant the median, the spread and the speed ratio to the
 * comparison's reference (the best peer contestant unless the comparison names one; above 1.00
 * means faster than the reference). Min and max are in the shown unit (for a time unit, min is the
 * fastest sample); n is the number of samples, "x calls" where a sample was several calls. A row the harness's guard rejected twice says "unreliable" and why instead of
 * a ratio, so no disturbed figure can be copied out of the table.
 */
public final class MarkdownTable {
    private final StringBuilder b = new StringBuilder();

    public MarkdownTable() {
        b.append("| benchmark | side | contestant | median | min | max | spread (max-min)/median | n | peer alone (median) "
                + "| speed vs best peer (or reference) |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    }

    /** The median the ratios of {@code c} are taken against, if it was measured. */
    static Optional<Double> referenceMedian(Comparison c, List<Harness.Outcome> outcomes) {
        if (c.reference() != null) {
            return outcomes.stream().filter(o -> o.contestant().label().equals(c.reference()) && o.stats() != null)
                    .map(o -> o.stats().median()).findFirst();
        }
        return outcomes.stream().filter(o -> !o.contestant().ours() && o.stats() != null)
                .map(o -> o.stats().median())
                .max((x, y) -> Double.compare(c.unit().speedRatio(x, y), 1.0));
    }

    public void add(Comparison c, List<Harness.Outcome> outcomes) {
        Optional<Double> ref = referenceMedian(c, outcomes);
        for (Harness.Outcome o : outcomes) {
            Contestant k = o.contestant();
            String side = k.ours() ? "ours" : "peer";
            if (o.stats() == null) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | | | | | | |%n", c.title(), side, k.label(),
                        o.problem()));
                continue;
            }
            Stats s = o.stats();
            String ratio = o.unreliable() != null ? "unreliable: " + o.unreliable() : ref.map(r -> String.format(Locale.ROOT, "%.2fx", c.unit().speedRatio(s.median(), r)))
                    .orElse("n/a");
            if (o.unreliable() == null && c.reference() != null && k.label().equals(c.reference())) {
                ratio += " (ref.)";
            }
            String alone = o.standalone() != null ? String.format(Locale.ROOT, "%.3g %s", o.standalone().median(), c.unit().label())
                    : o.twinProblem() != null ? "not measured" : "";
            String n = o.callsPerSample() > 1 ? s.n() + " x " + o.callsPerSample() : String.valueOf(s.n());
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3g %s | %.3g | %.3g | %.0f%% | %s | %s | %s |%n", c.title(),
                    side, k.label(), s.median(), c.unit().label(), s.min(), s.max(), s.spreadPercent(), n, alone, ratio));
        }
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
