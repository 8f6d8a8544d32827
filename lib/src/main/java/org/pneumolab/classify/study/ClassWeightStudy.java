package org.pneumolab.classify.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.metrics.BinaryMetrics;
import org.pneumolab.metrics.BinaryReport;
import org.pneumolab.metrics.ConfusionMatrix;
import org.pneumolab.metrics.Experiment;
import org.pneumolab.metrics.ExperimentComparison;
import org.pneumolab.metrics.OperatingPoint;

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

    /** One head per weighting; same base, same features, same seed. */
    public static List<ModelRun> sweep(KermanyStudy study, Backbone backbone, List<ClassWeights> weights)
            throws IOException {
        List<ModelRun> runs = new ArrayList<>();
        for (ClassWeights w : weights) {
            runs.add(study.trainHead(name(w), backbone, w));
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

    /** Test-split FN and FP counts against the NORMAL:PNEUMONIA weight ratio (log x axis). */
    public static XYChart errorsChart(List<ModelRun> runs) {
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
        c.addSeries("false negatives (missed pneumonia)", x, fn).setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("false positives (normal called pneumonia)", x, fp).setMarker(SeriesMarkers.SQUARE);
        return c;
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
        }
        String target = targets.isEmpty() ? "" : String.format(Locale.ROOT, " %.2f", targets.get(0).chosen().targetRecall());
        return Table.create("Threshold for recall >=" + target + " chosen on val, applied to test", run, t, vr, vs, tr,
                ts, ts0, fn, fp);
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
