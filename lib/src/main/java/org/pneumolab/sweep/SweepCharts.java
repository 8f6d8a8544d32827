package org.pneumolab.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.detect.PostProcess;

/**
 * The metric against each lever, the other three held at the sweep's best, with the best point
 * and the published study's setting marked. XChart charts render inline in notebooks.
 */
public final class SweepCharts {
    private SweepCharts() {
    }

    /** One chart per lever, in {@link Lever} order. */
    public static List<XYChart> levers(SweepResult result, PostProcess published) {
        List<XYChart> charts = new ArrayList<>();
        for (Lever l : Lever.values()) {
            charts.add(lever(result, l, published));
        }
        return charts;
    }

    public static XYChart lever(SweepResult result, Lever lever, PostProcess published) {
        SweepPoint best = result.best();
        List<SweepPoint> line = result.along(lever);
        double[] x = line.stream().mapToDouble(p -> lever.valueOf(p.settings())).toArray();
        double[] y = line.stream().mapToDouble(SweepPoint::score).toArray();
        XYChart chart = new XYChartBuilder().width(560).height(400)
                .title("RSNA metric vs " + lever.label() + ", " + result.split() + " split")
                .xAxisTitle(lever.label())
                .yAxisTitle("RSNA metric (" + result.split() + ", " + result.images() + " images)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setDecimalPattern("0.###");
        XYSeries s = chart.addSeries("others at best: " + othersText(best.settings(), lever), x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        XYSeries b = chart.addSeries(String.format(Locale.ROOT, "best %s = %s (%.4f)", shortName(lever),
                fmt(lever.valueOf(best.settings())), best.score()),
                new double[] {lever.valueOf(best.settings())}, new double[] {best.score()});
        b.setMarker(SeriesMarkers.DIAMOND);
        b.setMarkerColor(new Color(0, 130, 0));
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        double lo = min(y), hi = max(y);
        double pad = Math.max(0.01, (hi - lo) * 0.05);
        XYSeries publishedLine = chart.addSeries("published " + shortName(lever) + " = " + fmt(lever.valueOf(published)),
                new double[] {lever.valueOf(published), lever.valueOf(published)}, new double[] {lo - pad, hi + pad});
        publishedLine.setMarker(SeriesMarkers.NONE);
        publishedLine.setLineColor(new Color(200, 0, 0));
        publishedLine.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {5f, 4f}, 0f));
        return chart;
    }

    static String shortName(Lever l) {
        return switch (l) {
            case SCORE_THRESHOLD -> "threshold";
            case NMS_IOU -> "NMS IoU";
            case SHRINK -> "shrink";
            case MAX_BOXES -> "max boxes";
        };
    }

    static String othersText(PostProcess p, Lever except) {
        StringBuilder b = new StringBuilder();
        for (Lever l : Lever.values()) {
            if (l != except) {
                b.append(b.length() == 0 ? "" : ", ").append(shortName(l)).append(' ').append(fmt(l.valueOf(p)));
            }
        }
        return b.toString();
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                m = Math.min(m, d);
            }
        }
        return Double.isInfinite(m) ? 0 : m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                m = Math.max(m, d);
            }
        }
        return Double.isInfinite(m) ? 1 : m;
    }
}
