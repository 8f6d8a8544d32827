package org.pneumolab.classify.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.metrics.BinaryMetrics;
import org.pneumolab.metrics.BinaryReport;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.ConfusionMatrix;
import org.pneumolab.metrics.Experiment;
import org.pneumolab.metrics.ExperimentComparison;
import org.pneumolab.metrics.OperatingPoint;
import org.pneumolab.metrics.PairedBinary;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.metrics.Verdicts;
import org.pneumolab.report.Format;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The published study's class-weight experiments on one base: heads trained with different NORMAL:PNEUMONIA
 * loss weights on the same cached features (the base runs once for all of them), their test
 * errors, and a threshold chosen on validation for a target recall.
 */
public final class ClassWeightStudy {
    private ClassWeightStudy() {
    }

    /** Ratios 2^k for k = -2..2 (0.25..4, log-spaced) plus the published study's 2.89 and its reverse. */
    public static double[] defaultRatios() {
        return new double[]{0.25, 1 / ClassWeights.KERMANY_RATIO, 0.5, 1, 2, ClassWeights.KERMANY_RATIO, 4};
    }

    /**
     * One head per weighting; same base, same features, same seed. Each head's live chart folds to
     * one line when it finishes: {@code org.pneumolab.runs.Runs.curves} draws them all in one chart from
     * their run folders.
     */
    public static List<ModelRun> sweep(KermanyStudy study, Backbone backbone, List<ClassWeights> weights)
            throws IOException {
        List<ModelRun> runs = new ArrayList<>();
        try (AutoCloseable fold = org.pneumolab.notebook.TrainingMonitor.foldCharts()) {
            for (ClassWeights w : weights) {
                runs.add(study.trainHead(name(w), backbone, w));
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // the fold scope's close throws nothing
        }
        return runs;
    }

    public static String name(ClassWeights w) {
        if (w.equals(ClassWeights.none())) {
            return "none {1, 1}";
        }
        if (w.equals(ClassWeights.published())) {
            return "published {normal 2.89, pneumonia 1}";
        }
        if (w.equals(ClassWeights.published().reversed())) {
            return "reverse {normal 1, pneumonia 2.89}";
        }
        return String.format(Locale.ROOT, "normal:pneumonia %.3g", w.normal() / w.pneumonia());
    }

    /**
     * Test-split FN and FP counts with 95% class-stratified bootstrap intervals, one row per run,
     * in ratio order.
     */
    public static Table errorsTable(List<ModelRun> runs, Bootstrap bootstrap) {
        StringColumn name = StringColumn.create("class weights");
        StringColumn ratio = StringColumn.create("normal : pneumonia");
        IntColumn n = IntColumn.create("n test");
        StringColumn fn = StringColumn.create("FN [95% CI]");
        StringColumn fp = StringColumn.create("FP [95% CI]");
        StringColumn kept = StringColumn.create("kept epoch");
        String method = "";
        for (ModelRun r : byRatio(runs)) {
            PairedBinary.ErrorCounts e = errors(r, bootstrap);
            name.append(r.name());
            ratio.append(ratioLabel(Math.log(ratio(r)) / Math.log(2)));
            n.append(e.n());
            fn.append(Format.countInterval(e.falseNegatives().value(), e.falseNegatives().lo(), e.falseNegatives().hi())
                    + " of " + e.positives());
            fp.append(Format.countInterval(e.falsePositives().value(), e.falsePositives().lo(), e.falsePositives().hi())
                    + " of " + e.negatives());
            kept.append(r.keptNote());
            method = e.method();
        }
        return Table.create("Errors by class weight, test split, threshold "
                + (runs.isEmpty() ? "" : Format.rate(runs.get(0).experiment().report().cm().threshold())) + " (" + method + ")",
                name, ratio, n, fn, fp, kept);
    }

    static PairedBinary.ErrorCounts errors(ModelRun r, Bootstrap bootstrap) {
        return PairedBinary.errors("test", r.test().scores(), r.test().labels(), r.experiment().report().cm().threshold(),
                bootstrap.withStratified(true));
    }

    /**
     * Lesson (a), generated from paired intervals: the run with the highest NORMAL weight ratio
     * against the one with the lowest, on the same test images. The case study's point holds when
     * false negatives rise and false positives fall, each beyond its interval.
     */
    public static List<Verdict> extremes(List<ModelRun> runs, Bootstrap bootstrap) {
        List<ModelRun> sorted = byRatio(runs);
        if (sorted.size() < 2) {
            throw new IllegalArgumentException("lesson (a) needs at least two weightings");
        }
        ModelRun high = sorted.get(sorted.size() - 1);
        ModelRun low = sorted.get(0);
        Map<String, Verdict> v = PairedComparisons.compare(high, low, bootstrap);
        return List.of(v.get(PairedBinary.FALSE_NEGATIVES), v.get(PairedBinary.FALSE_POSITIVES));
    }

    /** The sentences of {@link #extremes} and the conclusion on lesson (a). */
    public static String lessonA(List<ModelRun> runs, Bootstrap bootstrap) {
        List<Verdict> v = extremes(runs, bootstrap);
        String conclusion = lessonAConclusion(v.get(0).outcome(), v.get(1).outcome());
        return Verdicts.sentences(v) + "\n" + conclusion;
    }

    /**
     * Lesson (a)'s conclusion from the outcomes of "highest NORMAL weight against lowest" on false
     * negatives and false positives (A is the highest weighting; lower counts are better). The case
     * study's lesson is the trade-off: more FN (B better) for fewer FP (A better). A count that moved
     * the other way reads as reversed, never as "shows" or "not distinguishable". Every conclusion
     * starts with "Lesson (a)", which {@code LessonsReport.lessonLines} keys on.
     */
    static String lessonAConclusion(Verdict.Outcome fn, Verdict.Outcome fp) {
        Verdict.Outcome nd = Verdict.Outcome.NOT_DISTINGUISHABLE;
        // The case study's direction for each count, and the reverse.
        boolean fnWay = fn == Verdict.Outcome.B_BETTER;
        boolean fpWay = fp == Verdict.Outcome.A_BETTER;
        boolean fnAgainst = fn == Verdict.Outcome.A_BETTER;
        boolean fpAgainst = fp == Verdict.Outcome.B_BETTER;
        if (fnWay && fpWay) {
            return "Lesson (a) shows beyond its intervals: weighting NORMAL up trades missed pneumonia (more FN) "
                    + "for fewer false alarms (fewer FP).";
        }
        if (fnAgainst && fpAgainst) {
            return "Lesson (a) is reversed here: FN and FP move in opposite directions beyond their intervals, but the other "
                    + "way round from the case study's: weighting NORMAL up gave fewer FN and more FP.";
        }
        if (fn != nd && fp != nd) {
            return "Lesson (a) does not show as a trade-off: weighting NORMAL up gave " + (fnWay ? "more FN and more FP" : "fewer FN and fewer FP")
                    + ", both beyond their intervals.";
        }
        if (fnWay || fpWay) {
            return "Lesson (a) shows only in part: " + (fnWay ? "false negatives rise" : "false positives fall")
                    + " beyond the interval as in the case study; the other count is not distinguishable on this data.";
        }
        if (fnAgainst || fpAgainst) {
            return "Lesson (a) is reversed in part: " + (fnAgainst ? "false negatives fall" : "false positives rise")
                    + " beyond the interval, the other way from the case study; the other count is not distinguishable on this data.";
        }
        return "Lesson (a) is not distinguishable on this data: neither count moves beyond its interval.";
    }

    private static List<ModelRun> byRatio(List<ModelRun> runs) {
        List<ModelRun> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(ratio(a), ratio(b)));
        return sorted;
    }

    /** Test-split FN and FP counts against the NORMAL:PNEUMONIA weight ratio (log x axis). */
    public static XYChart errorsChart(List<ModelRun> runs) {
        return errorsChart(runs, null);
    }

    /**
     * As {@link #errorsChart(List)}, with each count's 95% interval drawn as thin dashed lines
     * (class-stratified bootstrap) when {@code bootstrap} is given.
     */
    public static XYChart errorsChart(List<ModelRun> runs, Bootstrap bootstrap) {
        List<ModelRun> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(ratio(a), ratio(b)));
        // log2 of the ratio on a linear axis, ticks labelled as ratios: XChart's log axis labels
        // decades only, which leaves a 1/4..4 sweep with the single tick "1".
        double[] x = sorted.stream().mapToDouble(r -> Math.log(ratio(r)) / Math.log(2)).toArray();
        double[] fn = sorted.stream().mapToDouble(r -> r.experiment().report().cm().fn()).toArray();
        double[] fp = sorted.stream().mapToDouble(r -> r.experiment().report().cm().fp()).toArray();
        int n = sorted.isEmpty() ? 0 : sorted.get(0).experiment().report().n();
        double threshold = sorted.isEmpty() ? Double.NaN : sorted.get(0).experiment().report().cm().threshold();
        XYChart c = new XYChartBuilder().width(640).height(460)
                .title(String.format(Locale.ROOT, "Errors vs class weight, test split (n=%d, threshold %.2f)", n, threshold))
                .xAxisTitle("NORMAL : PNEUMONIA loss-weight ratio (log scale)")
                .yAxisTitle("Test images (count)").build();
        c.setCustomXAxisTickLabelsFormatter(ClassWeightStudy::ratioLabel);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        // Colours are set here, not left to the theme: XChart assigns a series' colour only when it
        // paints, so a band would otherwise get the next theme colour instead of its count's.
        var fnSeries = c.addSeries("false negatives (missed pneumonia)", x, fn);
        fnSeries.setMarker(SeriesMarkers.CIRCLE);
        fnSeries.setLineColor(FN_COLOUR);
        fnSeries.setMarkerColor(FN_COLOUR);
        var fpSeries = c.addSeries("false positives (normal called pneumonia)", x, fp);
        fpSeries.setMarker(SeriesMarkers.SQUARE);
        fpSeries.setLineColor(FP_COLOUR);
        fpSeries.setMarkerColor(FP_COLOUR);
        if (bootstrap != null && !sorted.isEmpty()) {
            List<PairedBinary.ErrorCounts> e = sorted.stream().map(r -> errors(r, bootstrap)).toList();
            band(c, "FN 95% CI", x, e.stream().mapToDouble(k -> k.falseNegatives().lo()).toArray(),
                    e.stream().mapToDouble(k -> k.falseNegatives().hi()).toArray(), FN_COLOUR);
            band(c, "FP 95% CI", x, e.stream().mapToDouble(k -> k.falsePositives().lo()).toArray(),
                    e.stream().mapToDouble(k -> k.falsePositives().hi()).toArray(), FP_COLOUR);
        }
        return c;
    }

    private static final java.awt.Color FN_COLOUR = new java.awt.Color(0xC0, 0x39, 0x2B);
    private static final java.awt.Color FP_COLOUR = new java.awt.Color(0x1F, 0x5F, 0xA8);

    /** Low and high ends of one interval as two dashed lines in the count's colour, one legend entry. */
    private static void band(XYChart c, String name, double[] x, double[] lo, double[] hi, java.awt.Color color) {
        java.awt.BasicStroke dashed = new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);
        var l = c.addSeries(name + " (low)", x, lo);
        var h = c.addSeries(name + " (high)", x, hi);
        for (var s : List.of(l, h)) {
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(dashed);
            s.setLineColor(color);
        }
        h.setShowInLegend(false);
        l.setLabel(name);
    }

    /** A tick at log2(ratio) = v as the ratio: "1/4", "1/2", "1", "2", "4", else two digits. */
    static String ratioLabel(double v) {
        double r = Math.pow(2, v);
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            long k = Math.round(v);
            return k >= 0 ? Long.toString(1L << k) : "1/" + (1L << -k);
        }
        return String.format(Locale.ROOT, "%.2g", r);
    }

    private static double ratio(ModelRun r) {
        return r.classWeights().normal() / r.classWeights().pneumonia();
    }

    /** The runs' test-split experiments side by side (for tables, curves and confusion matrices). */
    public static ExperimentComparison comparison(List<ModelRun> runs) {
        return new ExperimentComparison(runs.stream().map(ModelRun::experiment).toList());
    }

    /**
     * A threshold picked on the validation split for {@code targetRecall}, then applied unchanged
     * to the test split.
     *
     * @param chosen     the operating point on "val"
     * @param onTest     test-split metrics at that threshold (bootstrap CIs)
     * @param atDefault  test-split counts at the run's default threshold, for the specificity cost
     */
    public record RecallTarget(String run, OperatingPoint chosen, BinaryReport onTest, ConfusionMatrix atDefault) {
        /** Test specificity lost (positive) by moving from the default threshold to the chosen one. */
        public double specificityCost() {
            return atDefault.specificity() - onTest.cm().specificity();
        }
    }

    public static RecallTarget forRecall(KermanyStudy study, ModelRun run, double targetRecall) {
        OperatingPoint op = OperatingPoint.forRecall("val", run.validation().scores(), run.validation().labels(),
                targetRecall);
        BinaryReport test = BinaryMetrics.evaluate("test", run.test().scores(), run.test().labels(), op.threshold(),
                study.bootstrap());
        return new RecallTarget(run.name(), op, test, run.experiment().report().cm());
    }

    /** One row per run: threshold from val, val recall/specificity, test recall/specificity there and at 0.5. */
    public static Table recallTable(List<RecallTarget> targets) {
        StringColumn run = StringColumn.create("class weights");
        DoubleColumn t = DoubleColumn.create("threshold (from val)");
        DoubleColumn vr = DoubleColumn.create("val recall");
        DoubleColumn vs = DoubleColumn.create("val specificity");
        DoubleColumn tr = DoubleColumn.create("test recall");
        DoubleColumn ts = DoubleColumn.create("test specificity");
        DoubleColumn ts0 = DoubleColumn.create("test specificity at default");
        IntColumn fn = IntColumn.create("test FN");
        IntColumn fp = IntColumn.create("test FP");
        StringColumn trCi = StringColumn.create("test recall [95% CI]");
        StringColumn tsCi = StringColumn.create("test specificity [95% CI]");
        for (RecallTarget r : targets) {
            run.append(r.run());
            t.append(r.chosen().threshold());
            vr.append(r.chosen().recall());
            vs.append(r.chosen().specificity());
            tr.append(r.onTest().cm().recall());
            ts.append(r.onTest().cm().specificity());
            ts0.append(r.atDefault().specificity());
            fn.append(r.onTest().cm().fn());
            fp.append(r.onTest().cm().fp());
            trCi.append(r.onTest().metric("recall").toString());
            tsCi.append(r.onTest().metric("specificity").toString());
        }
        String target = targets.isEmpty() ? "" : String.format(Locale.ROOT, " %.2f", targets.get(0).chosen().targetRecall());
        return Format.readable(Table.create("Threshold for recall >=" + target + " chosen on val, applied to test (n="
                + (targets.isEmpty() ? 0 : targets.get(0).onTest().n()) + ")", run, t, vr, vs, tr, ts, ts0, fn, fp, trCi, tsCi));
    }

    /** The test experiments at the recall-target thresholds, for side-by-side confusion matrices. */
    public static ExperimentComparison atRecallTarget(List<ModelRun> runs, List<RecallTarget> targets) {
        List<Experiment> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            out.add(new Experiment(runs.get(i).name() + " @ val-recall threshold", targets.get(i).onTest(),
                    runs.get(i).experiment().curves()));
        }
        return new ExperimentComparison(out);
    }
}
