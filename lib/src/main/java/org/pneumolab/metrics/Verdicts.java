package org.pneumolab.metrics;

import java.util.List;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Verdicts side by side, one row each: the table every notebook uses for its paired comparisons. */
public final class Verdicts {
    private Verdicts() {
    }

    /** Columns A, B, metric (with its direction), A minus B with its paired interval, verdict; the title names split, n and method. */
    public static Table table(String title, List<Verdict> verdicts) {
        StringColumn a = StringColumn.create("A");
        StringColumn b = StringColumn.create("B");
        StringColumn metric = StringColumn.create("metric");
        StringColumn diff = StringColumn.create("A minus B [95% paired CI]");
        StringColumn verdict = StringColumn.create("verdict");
        for (Verdict v : verdicts) {
            a.append(v.a());
            b.append(v.b());
            metric.append(v.metric() + (v.higherIsBetter() ? " (higher is better)" : " (lower is better)"));
            diff.append(v.differenceCell());
            verdict.append(v.shortOutcome());
        }
        String method = verdicts.isEmpty() ? "" : " (" + verdicts.get(0).split() + ", n=" + verdicts.get(0).n() + "; "
                + verdicts.get(0).method() + ")";
        return Table.create(title + method, a, b, metric, diff, verdict);
    }

    /** Every verdict's sentence, one per line. */
    public static String sentences(List<Verdict> verdicts) {
        StringBuilder b = new StringBuilder();
        verdicts.forEach(v -> b.append(v.sentence()).append('\n'));
        return b.toString().stripTrailing();
    }
}
