package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.Verdict;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The rows of a {@link SweepReport} on the held-out split with their uncertainty: each setting's
 * RSNA metric, AP50 and false positives per image with 95% bootstrap intervals over the held-out
 * images, and the settings chosen on validation against every other row as a paired bootstrap
 * (the same resampled images post-processed both ways), each with its generated verdict.
 * Lesson (c) of the case study is that the chosen settings beat both the case study's and
 * keras-retinanet's defaults on held-out.
 */
public final class HeldOutComparison {
    private final SweepReport report;
    private final DetectionBootstrap bootstrap;
    private final List<Map<String, List<Detection>>> detections = new ArrayList<>();
    private final List<DetectionEstimates> estimates = new ArrayList<>();

    private HeldOutComparison(SweepReport report, RawDetections heldOut, Map<String, List<Box>> groundTruth,
            Bootstrap b) {
        this.report = report;
        this.bootstrap = DetectionBootstrap.over(heldOut.split(), SplitScorer.groundTruthOf(heldOut, groundTruth), b);
        for (SettingsComparison row : report.rows()) {
            Map<String, List<Detection>> d = SplitScorer.apply(heldOut, row.settings());
            detections.add(d);
            estimates.add(bootstrap.estimate(d));
        }
    }

    /** @param seed the bootstrap's seed (1000 resamples, 95%) */
    public static HeldOutComparison of(SweepReport report, RawDetections heldOut, Map<String, List<Box>> groundTruth,
            long seed) {
        return of(report, heldOut, groundTruth, Bootstrap.seeded(seed));
    }

    public static HeldOutComparison of(SweepReport report, RawDetections heldOut, Map<String, List<Box>> groundTruth,
            Bootstrap bootstrap) {
        if (!heldOut.split().equals(report.chosen().heldOut().split())) {
            throw new IllegalArgumentException("the report was scored on '" + report.chosen().heldOut().split()
                    + "', not on '" + heldOut.split() + "'");
        }
        return new HeldOutComparison(report, heldOut, groundTruth, bootstrap);
    }

    public List<DetectionEstimates> estimates() {
        return List.copyOf(estimates);
    }

    /** One row per setting: held-out metrics with their intervals. */
    public Table intervals() {
        StringColumn name = StringColumn.create("settings");
        StringColumn split = StringColumn.create("split");
        IntColumn n = IntColumn.create("n images");
        Map<String, StringColumn> cols = new LinkedHashMap<>();
        for (String m : DetectionBootstrap.METRICS) {
            cols.put(m, StringColumn.create(m + " [95% CI]"));
        }
        for (int i = 0; i < estimates.size(); i++) {
            DetectionEstimates e = estimates.get(i);
            name.append(report.rows().get(i).name());
            split.append(e.split());
            n.append(e.images());
            cols.forEach((m, c) -> c.append(e.metric(m).toString()));
        }
        Table t = Table.create("Post-processing on the " + bootstrap.split() + " split, " + bootstrap.method(false), name,
                split, n);
        cols.values().forEach(t::addColumns);
        return t;
    }

    /** The chosen settings minus every other row on the held-out RSNA metric, paired. */
    public List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        String chosen = report.chosen().name();
        for (int i = 1; i < report.rows().size(); i++) {
            out.add(bootstrap.compare(chosen, detections.get(0), report.rows().get(i).name(), detections.get(i))
                    .get(DetectionBootstrap.RSNA));
        }
        return out;
    }

    /** The verdicts as a table, one row per comparison. */
    public Table verdictTable() {
        return org.pneumolab.metrics.Verdicts.table("Chosen on validation against the others, paired",
                verdicts());
    }

    /**
     * Lesson (c) in sentences generated from the intervals: the chosen settings against the
     * case study's and against keras-retinanet's defaults, then the conclusion.
     */
    public String lessonC() {
        StringBuilder b = new StringBuilder();
        List<Verdict> vs = new ArrayList<>();
        for (Verdict v : verdicts()) {
            if (v.b().startsWith("published") || v.b().startsWith("keras-retinanet")) {
                vs.add(v);
                b.append(v.sentence()).append('\n');
            }
        }
        long won = vs.stream().filter(v -> v.outcome() == Verdict.Outcome.A_BETTER).count();
        long lost = vs.stream().filter(v -> v.outcome() == Verdict.Outcome.B_BETTER).count();
        b.append(won == vs.size() ? "Lesson (c) shows beyond its interval: the settings chosen on validation beat both "
                + "the case study's and keras-retinanet's defaults on held-out."
                : lost > 0 ? "Lesson (c) does not hold here: an alternative is better than the chosen settings on held-out."
                : won == 0 ? "Lesson (c) is not distinguishable on this data: neither difference excludes 0."
                : "Lesson (c) shows against " + won + " of " + vs.size() + " alternatives; the other difference is not "
                + "distinguishable on this data.");
        return b.toString();
    }
}
