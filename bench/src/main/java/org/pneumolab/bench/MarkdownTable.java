package org.pneumolab.bench;

import java.util.List;
import java.util.Locale;

/**
 * The results as Markdown: per contestant the median, the spread and the ratio to the best peer
 * contestant of the same comparison (ours / peer; above 1.00 means we are faster).
 */
public final class MarkdownTable {
    private final StringBuilder b = new StringBuilder();

    public MarkdownTable(int reps) {
        b.append("| benchmark | side | contestant | median | spread (max-min)/median | n | vs best peer |\n");
        b.append("|---|---|---|---:|---:|---:|---:|\n");
    }

    public void add(Comparison c, List<Harness.Outcome> outcomes) {
        double bestPeer = outcomes.stream().filter(o -> !o.contestant().ours() && o.stats() != null)
                .mapToDouble(o -> o.stats().median()).max().orElse(Double.NaN);
        for (Harness.Outcome o : outcomes) {
            Contestant k = o.contestant();
            String side = k.ours() ? "ours" : "peer";
            if (o.stats() == null) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | | | |%n", c.title(), side, k.label(),
                        o.problem()));
                continue;
            }
            Stats s = o.stats();
            String ratio = Double.isNaN(bestPeer) ? "n/a" : String.format(Locale.ROOT, "%.2fx", s.median() / bestPeer);
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3g %s | %.0f%% | %d | %s |%n", c.title(), side,
                    k.label(), s.median(), c.unit(), s.spreadPercent(), s.n(), ratio));
        }
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
