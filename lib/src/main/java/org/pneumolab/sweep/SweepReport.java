package org.pneumolab.sweep;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.RendersAsHtml;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Choose on validation, report on held-out: the sweep runs on the validation split only, its best
 * point is then scored once on the held-out split, next to the published study's settings and a
 * no-post-processing baseline scored the same way.
 *
 * @param sweep the validation sweep the choice came from
 * @param rows  chosen settings first, then the published study's, then the baseline
 */
public record SweepReport(SweepResult sweep, List<SettingsComparison> rows) implements RendersAsHtml {
    /**
     * The published notebook's settings as we read them: score threshold 0.2; NMS IoU 0.1, i.e. "stricter
     * NMS" taken as dropping any box overlapping a better one by more than 10% (the usual 0.5 lets
     * duplicates through, 3rd place went all the way to 0); at most 4 boxes (no RSNA image has more
     * than 4 labelled boxes); boxes shrunk to 87.5% about their centres. This is
     * {@link PostProcess#RSNA_TUNED}.
     */
    public static final PostProcess PUBLISHED = PostProcess.RSNA_TUNED;
    /** "No post-processing": a detector's everyday output, threshold 0.5, NMS 0.5, no cap that bites, no shrink. */
    public static final PostProcess BASELINE = new PostProcess(0.5, 0.5, 100, 1.0);

    public SweepReport {
        rows = List.copyOf(rows);
    }

    /**
     * Sweeps {@code validation}, takes {@link SweepResult#best()}, and scores it, {@link #PUBLISHED} and
     * {@link #BASELINE} on both splits. The splits must have different names and no image in common.
     */
    public static SweepReport chooseOnValidation(RawDetections validation, RawDetections heldOut,
            Map<String, List<Box>> groundTruth, SweepGrid grid) {
        checkDisjoint(validation, heldOut);
        SweepResult sweep = Sweep.run(validation, groundTruth, grid);
        PostProcess chosen = sweep.best().settings();
        List<SettingsComparison> rows = List.of(
                compare("chosen on " + validation.split(), chosen, validation, heldOut, groundTruth),
                compare("published (0.2 / NMS 0.1 / shrink 0.875)", PUBLISHED, validation, heldOut, groundTruth),
                compare("no post-processing (0.5 / NMS 0.5 / no shrink)", BASELINE, validation, heldOut, groundTruth));
        return new SweepReport(sweep, rows);
    }

    private static SettingsComparison compare(String name, PostProcess pp, RawDetections val, RawDetections held,
            Map<String, List<Box>> gt) {
        return new SettingsComparison(name, pp, SplitScorer.evaluate(val, gt, pp), SplitScorer.evaluate(held, gt, pp));
    }

    static void checkDisjoint(RawDetections a, RawDetections b) {
        if (a.split().equals(b.split())) {
            throw new IllegalArgumentException("validation and held-out are the same split '" + a.split() + "'");
        }
        Set<String> shared = new HashSet<>(a.detections().keySet());
        shared.retainAll(b.detections().keySet());
        if (!shared.isEmpty()) {
            throw new IllegalArgumentException(shared.size() + " images are in both " + a.split() + " and " + b.split()
                    + " (e.g. " + shared.iterator().next() + "): a held-out score would be optimistic");
        }
    }

    public SettingsComparison chosen() {
        return rows.get(0);
    }

    public Table table() {
        String val = rows.get(0).validation().split();
        String held = rows.get(0).heldOut().split();
        Table t = Table.create("post-processing chosen on " + val + ", reported on " + held);
        t.addColumns(StringColumn.create("settings", rows.stream().map(SettingsComparison::name)),
                DoubleColumn.create("score_threshold", rows.stream().mapToDouble(r -> r.settings().scoreThreshold())),
                DoubleColumn.create("nms_iou", rows.stream().mapToDouble(r -> r.settings().nmsIou())),
                DoubleColumn.create("shrink", rows.stream().mapToDouble(r -> r.settings().shrink())),
                IntColumn.create("max_boxes", rows.stream().mapToInt(r -> r.settings().maxDetections()).toArray()),
                DoubleColumn.create("rsna_metric_" + val, rows.stream().mapToDouble(r -> r.validation().score())),
                DoubleColumn.create("rsna_metric_" + held, rows.stream().mapToDouble(r -> r.heldOut().score())),
                DoubleColumn.create("gap_" + val + "_minus_" + held, rows.stream().mapToDouble(SettingsComparison::gap)),
                DoubleColumn.create("ap50_" + held, rows.stream().mapToDouble(r -> r.heldOut().ap50())));
        return t;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        SettingsComparison c = chosen();
        b.append(String.format(Locale.ROOT, "%d grid points on %s (%d images); best: threshold %s, NMS %s, shrink %s, "
                + "max boxes %d%n", sweep.grid().size(), sweep.split(), sweep.images(),
                num(c.settings().scoreThreshold()), num(c.settings().nmsIou()), num(c.settings().shrink()),
                c.settings().maxDetections()));
        for (SettingsComparison r : rows) {
            b.append(String.format(Locale.ROOT, "%-48s %s %.4f   %s %.4f   gap %+.4f%n", r.name(),
                    r.validation().split(), r.validation().score(), r.heldOut().split(), r.heldOut().score(), r.gap()));
        }
        return b.toString().stripTrailing();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }

    @Override
    public String toHtml() {
        return "<pre>" + Html.escape(toString()) + "</pre>";
    }
}
