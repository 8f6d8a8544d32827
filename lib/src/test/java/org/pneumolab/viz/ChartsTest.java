package org.pneumolab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.pneumolab.metrics.BinaryMetrics;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.Experiment;
import org.pneumolab.metrics.ExperimentComparison;

class ChartsTest {
    // 8 cases, threshold 0.5: TN 2, FP 2, FN 1, TP 3 (see BinaryMetricsTest for the hand count)
    static final double[] S = {0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2};
    static final int[] Y = {1, 1, 0, 1, 0, 0, 1, 0};
    // a better model: all positives above all negatives, threshold 0.5 -> TN 4, TP 4
    static final double[] S2 = {0.9, 0.8, 0.1, 0.7, 0.2, 0.3, 0.6, 0.4};

    static ExperimentComparison comparison() {
        Bootstrap b = Bootstrap.seeded(3).withResamples(100);
        Experiment a = BinaryMetrics.experiment("VGG16", "test", S, Y, 0.5, b);
        Experiment c = BinaryMetrics.experiment("InceptionV3", "test", S2, Y, 0.5, b);
        return ExperimentComparison.of(a, c);
    }

    @Test
    void confusionMatrixShadesCellsByRateWithinTheActualClass() {
        ConfusionMatrixImage image = ConfusionMatrixImage.kermany(comparison().experiments().get(1).report());
        assertEquals("Confusion matrix, test split (n=8, threshold 0.500)", image.title());
        BufferedImage img = image.toImage();
        assertEquals(ConfusionMatrixImage.WIDTH, img.getWidth());
        // InceptionV3 is perfect: TN cell (rate 1) is dark blue, FP cell (rate 0) white
        Color tn = new Color(img.getRGB(ConfusionMatrixImage.GRID_X + 5, ConfusionMatrixImage.GRID_Y + 5));
        Color fp = new Color(img.getRGB(ConfusionMatrixImage.GRID_X + ConfusionMatrixImage.CELL + 5,
                ConfusionMatrixImage.GRID_Y + 5));
        assertEquals(ConfusionMatrixImage.shade(1.0), tn);
        assertEquals(ConfusionMatrixImage.shade(0.0), fp);
        // VGG16: actual negatives are TN 2, FP 2 -> both cells at rate 0.5
        BufferedImage vgg = ConfusionMatrixImage.kermany(comparison().experiments().get(0).report()).toImage();
        assertEquals(ConfusionMatrixImage.shade(0.5),
                new Color(vgg.getRGB(ConfusionMatrixImage.GRID_X + 5, ConfusionMatrixImage.GRID_Y + 5)));
    }

    @Test
    void sideBySideGridHasOnePanelPerExperiment() {
        ConfusionMatrixGrid grid = ConfusionMatrixGrid.kermany(comparison());
        assertEquals("Confusion matrices, test split", grid.title());
        assertEquals(2 * ConfusionMatrixGrid.PANEL_W, grid.toImage().getWidth());
    }

    @Test
    void rocAndPrOverlayNameSplitAndAreaWithInterval() {
        ExperimentComparison c = comparison();
        XYChart roc = CurveCharts.roc(c);
        assertEquals("ROC curves, test split", roc.getTitle());
        assertTrue(roc.getXAxisTitle().contains("False positive rate"));
        String vgg = "VGG16: AUC " + c.experiments().get(0).report().metric("roc_auc").format(3);
        assertTrue(vgg.startsWith("VGG16: AUC 0.750 ["), vgg);
        assertEquals(List.of(vgg, "InceptionV3: AUC 1.000 [1.000, 1.000]", "chance (AUC 0.5)"),
                List.copyOf(roc.getSeriesMap().keySet()));
        XYChart pr = CurveCharts.pr(c);
        assertEquals("Precision-recall curves, test split", pr.getTitle());
        assertTrue(pr.getSeriesMap().keySet().iterator().next().startsWith("VGG16: AP 0.830 ["));
        assertTrue(pr.getSeriesMap().containsKey("no skill (precision = prevalence 0.500)"));
        BufferedImage png = BitmapEncoder.getBufferedImage(roc);
        assertEquals(640, png.getWidth());
    }

    @Test
    void comparisonTableHasOneRowPerExperimentAndNamesTheSplit() {
        ExperimentComparison c = comparison();
        var t = c.toTable();
        assertEquals(2, t.rowCount());
        assertEquals(List.of("VGG16", "InceptionV3"), t.stringColumn("experiment").asList());
        assertEquals("test", t.stringColumn("split").get(0));
        assertEquals(0.75, t.doubleColumn("roc_auc").get(0), 1e-12);
        assertTrue(t.columnNames().contains("roc_auc_lo"));
        assertTrue(c.toHtml().contains("Comparison on the test split"));
        var r = c.experiments().get(0).report();
        assertEquals(7, r.toTable().rowCount());
        assertTrue(r.toHtml().contains("Metrics on the test split"));
        assertTrue(r.toHtml().contains("B=100"));
    }
}
