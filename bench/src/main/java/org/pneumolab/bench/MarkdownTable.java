package org.pneumolab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as Markdown: per contestant the median, the spread and the speed ratio to the
 * comparison's reference (the best peer contestant unless the comparison names one; above 1.00
 * means faster than the reference).
 */
public final class MarkdownTable {
    private final StringBuilder b = new StringBuilder();

    public MarkdownTable() {
        b.append("| benchmark | side | contestant | median | spread (max-min)/median | n | speed vs best peer (or reference) |\n");
        b.append("|---|---|---|---:|---:|---:|---:|\n");
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
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | | | |%n", c.title(), side, k.label(),
                        o.problem()));
                continue;
            }
            Stats s = o.stats();
            String ratio = ref.map(r -> String.format(Locale.ROOT, "%.2fx", c.unit().speedRatio(s.median(), r)))
                    .orElse("n/a");
            if (c.reference() != null && k.label().equals(c.reference())) {
                ratio += " (ref.)";
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3g %s | %.0f%% | %d | %s |%n", c.title(), side,
                    k.label(), s.median(), c.unit().label(), s.spreadPercent(), s.n(), ratio));
        }
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
