package org.pneumolab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.metrics.Curves;
import org.pneumolab.metrics.Estimate;
import org.pneumolab.metrics.Experiment;
import org.pneumolab.metrics.ExperimentComparison;

/**
 * ROC and precision-recall curves of several experiments overlaid, each legend entry with the
 * area and its bootstrap interval, the chart titled with the split. XChart charts render inline
 * in notebooks without help.
 */
public final class CurveCharts {
    private CurveCharts() {
    }

    public static XYChart roc(ExperimentComparison comparison) {
        XYChart chart = base("ROC curves, " + comparison.splits() + " split",
                "False positive rate = 1 - specificity (fraction of negatives)",
                "True positive rate = sensitivity (fraction of positives)");
        for (Experiment e : comparison.experiments()) {
            List<Curves.RocPoint> pts = e.curves().roc();
            double[] x = pts.stream().mapToDouble(Curves.RocPoint::fpr).toArray();
            double[] y = pts.stream().mapToDouble(Curves.RocPoint::tpr).toArray();
            chart.addSeries(label(e, "roc_auc", "AUC"), x, y).setMarker(SeriesMarkers.NONE);
        }
        // XChart puts a tick at every data value when all values of an axis are equally spaced,
        // which ROC rates (multiples of 1/positives) are; a point at an irrational position on
        // the diagonal breaks that spacing and restores ordinary ticks.
        double off = 1 / Math.PI;
        XYSeries chance = chart.addSeries("chance (AUC 0.5)", new double[] {0, off, 1}, new double[] {0, off, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return chart;
    }

    /** PR curves drawn as steps, as average precision sums them; no interpolation. */
    public static XYChart pr(ExperimentComparison comparison) {
        XYChart chart = base("Precision-recall curves, " + comparison.splits() + " split",
                "Recall = sensitivity (fraction of positives)", "Precision (fraction of predicted positives)");
        for (Experiment e : comparison.experiments()) {
            List<Curves.PrPoint> pts = e.curves().pr();
            double[] x = pts.stream().mapToDouble(Curves.PrPoint::recall).toArray();
            double[] y = pts.stream().mapToDouble(Curves.PrPoint::precision).toArray();
            XYSeries s = chart.addSeries(label(e, "pr_auc", "AP"), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        // A classifier without skill has precision = prevalence at every recall; drawn when all
        // experiments share the prevalence (same cases), with the same irrational point as roc().
        double[] prevalences = comparison.experiments().stream().mapToDouble(CurveCharts::prevalence).distinct().toArray();
        if (prevalences.length == 1) {
            double p = prevalences[0];
            XYSeries noSkill = chart.addSeries(String.format(java.util.Locale.ROOT, "no skill (precision = prevalence %.3f)", p),
                    new double[] {0, 1 / Math.PI, 1}, new double[] {p, p, p});
            noSkill.setMarker(SeriesMarkers.NONE);
            noSkill.setLineColor(Color.GRAY);
            noSkill.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        return chart;
    }

    private static double prevalence(Experiment e) {
        return (double) e.report().cm().positives() / e.report().n();
    }

    static String label(Experiment e, String metric, String shortName) {
        Estimate est = e.report().metric(metric);
        return e.name() + ": " + shortName + " " + est.format(3);
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(640).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(true);
        return chart;
    }
}
