package org.pneumolab.metrics;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.RendersAsHtml;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Several experiments side by side: one row each, every metric with its interval. */
public record ExperimentComparison(List<Experiment> experiments) implements RendersAsHtml {

    public ExperimentComparison {
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("nothing to compare: no experiments");
        }
        experiments = List.copyOf(experiments);
    }

    public static ExperimentComparison of(Experiment... experiments) {
        return new ExperimentComparison(List.of(experiments));
    }

    /** The split(s) compared, e.g. "test" (or "val, test" when they differ). */
    public String splits() {
        return experiments.stream().map(Experiment::split).distinct().collect(Collectors.joining(", "));
    }

    /** Columns: experiment, split, n, threshold, then per metric its value, _lo and _hi. */
    public Table toTable() {
        StringColumn name = StringColumn.create("experiment");
        StringColumn split = StringColumn.create("split");
        IntColumn n = IntColumn.create("n");
        DoubleColumn threshold = DoubleColumn.create("threshold");
        Table t = Table.create("Comparison on the " + splits() + " split", name, split, n, threshold);
        for (String m : BinaryMetrics.NAMES) {
            t.addColumns(DoubleColumn.create(m), DoubleColumn.create(m + "_lo"), DoubleColumn.create(m + "_hi"));
        }
        for (Experiment e : experiments) {
            BinaryReport r = e.report();
            name.append(e.name());
            split.append(r.split());
            n.append(r.n());
            threshold.append(r.cm().threshold());
            for (String m : BinaryMetrics.NAMES) {
                Estimate est = r.metric(m);
                t.doubleColumn(m).append(est.value());
                t.doubleColumn(m + "_lo").append(est.lo());
                t.doubleColumn(m + "_hi").append(est.hi());
            }
        }
        return org.pneumolab.report.Format.readable(t);
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder(4096);
        b.append("<div><b>").append(Html.escape("Comparison on the " + splits() + " split")).append("</b>")
                .append("<table style=\"border-collapse:collapse\"><tr><th style=\"text-align:left;padding:2px 8px\">experiment</th>")
                .append("<th style=\"padding:2px 8px\">split</th><th style=\"padding:2px 8px\">n</th>");
        for (String m : BinaryMetrics.NAMES) {
            b.append("<th style=\"padding:2px 8px\">").append(Html.escape(m)).append("</th>");
        }
        b.append("</tr>");
        for (Experiment e : experiments) {
            BinaryReport r = e.report();
            b.append("<tr><td style=\"padding:2px 8px\">").append(Html.escape(e.name())).append("</td><td style=\"padding:2px 8px\">")
                    .append(Html.escape(r.split())).append("</td><td style=\"text-align:right;padding:2px 8px\">").append(r.n())
                    .append("</td>");
            for (String m : BinaryMetrics.NAMES) {
                Estimate est = r.metric(m);
                b.append("<td style=\"text-align:right;padding:2px 8px\">")
                        .append(String.format(Locale.ROOT, "%.3f<br><span style=\"color:#888;font-size:80%%\">%.3f – %.3f</span>",
                                est.value(), est.lo(), est.hi()))
                        .append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</table><div style=\"color:#666;font-size:85%\">")
                .append(Html.escape(experiments.stream().map(e -> e.name() + ": " + e.report().intervalNote())
                        .collect(Collectors.joining("; "))))
                .append("</div></div>");
        return b.toString();
    }
}
