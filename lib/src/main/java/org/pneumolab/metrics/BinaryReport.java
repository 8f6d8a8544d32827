package org.pneumolab.metrics;

import java.util.Locale;
import java.util.Map;

import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.RendersAsHtml;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Classification metrics of one model on one named data split.
 *
 * @param split     the data split the numbers come from ("test", "val", ...)
 * @param n         number of cases
 * @param cm        counts at the report's threshold
 * @param metrics   by name ({@link BinaryMetrics#NAMES}), each with its bootstrap interval
 * @param bootstrap how the intervals were drawn
 */
public record BinaryReport(String split, int n, ConfusionMatrix cm, Map<String, Estimate> metrics,
        Bootstrap bootstrap) implements RendersAsHtml {

    public BinaryReport {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    public Estimate metric(String name) {
        Estimate e = metrics.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; have " + metrics.keySet());
        }
        return e;
    }

    /** One row per metric: split, metric, value, lo, hi. */
    public Table toTable() {
        StringColumn splitCol = StringColumn.create("split");
        StringColumn name = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        DoubleColumn lo = DoubleColumn.create("ci_lo");
        DoubleColumn hi = DoubleColumn.create("ci_hi");
        metrics.forEach((k, e) -> {
            splitCol.append(split);
            name.append(k);
            value.append(e.value());
            lo.append(e.lo());
            hi.append(e.hi());
        });
        return org.pneumolab.report.Format.readable(Table.create(title(), splitCol, name, value, lo, hi));
    }

    public String title() {
        return String.format(Locale.ROOT, "Metrics on the %s split (n=%d, threshold %.3f)", split, n, cm.threshold());
    }

    /** How the intervals were made, for captions. */
    public String intervalNote() {
        return String.format(Locale.ROOT, "%.0f%% percentile bootstrap CI, B=%d%s, seed %d", bootstrap.level() * 100,
                bootstrap.resamples(), bootstrap.stratified() ? " stratified" : "", bootstrap.seed());
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder(2048);
        b.append("<div><b>").append(Html.escape(title())).append("</b>");
        b.append("<table style=\"border-collapse:collapse\"><tr><th style=\"text-align:left;padding:2px 8px\">metric</th>")
                .append("<th style=\"padding:2px 8px\">value</th><th style=\"padding:2px 8px\">")
                .append(Html.escape(String.format(Locale.ROOT, "%.0f%% CI", bootstrap.level() * 100))).append("</th></tr>");
        metrics.forEach((k, e) -> b.append("<tr><td style=\"padding:2px 8px\">").append(Html.escape(k))
                .append("</td><td style=\"text-align:right;padding:2px 8px\">")
                .append(String.format(Locale.ROOT, "%.3f", e.value()))
                .append("</td><td style=\"text-align:right;padding:2px 8px\">")
                .append(String.format(Locale.ROOT, "%.3f – %.3f", e.lo(), e.hi())).append("</td></tr>"));
        b.append("</table><div style=\"color:#666;font-size:85%\">")
                .append(String.format(Locale.ROOT, "TP %d · FP %d · TN %d · FN %d; ", cm.tp(), cm.fp(), cm.tn(), cm.fn()))
                .append(Html.escape(intervalNote())).append("</div></div>");
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(title()).append('\n');
        metrics.forEach((k, e) -> b.append(String.format(Locale.ROOT, "  %-12s %s%n", k, e)));
        return b.append("  (").append(intervalNote()).append(')').toString();
    }
}
