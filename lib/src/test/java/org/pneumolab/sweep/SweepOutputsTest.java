package org.pneumolab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import org.pneumolab.data.DataConfig;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Submission;
import org.pneumolab.viz.BoxOverlay;

class SweepOutputsTest {
    private static final SyntheticRaw DATA = new SyntheticRaw("img", 120, 17);
    private static final SweepResult RESULT = Sweep.run(DATA.rawDetections("val"), DATA.groundTruth,
            SweepGrid.standard());

    @Test
    void leverChartsShowTheLineAtBestTheBestPointAndThePublishedSetting() {
        List<XYChart> charts = SweepCharts.levers(RESULT, SweepReport.PUBLISHED);
        assertEquals(4, charts.size());
        XYChart threshold = charts.get(0);
        assertTrue(threshold.getTitle().contains("val split"), threshold.getTitle());
        XYSeries[] series = threshold.getSeriesMap().values().toArray(new XYSeries[0]);
        assertEquals(3, series.length);
        assertEquals(SweepGrid.standard().scoreThresholds().length, series[0].getXData().length);
        assertEquals(RESULT.best().score(), series[1].getYData()[0], 1e-12);
        assertEquals(0.2, series[2].getXData()[0], 1e-12, "published threshold marked");
        assertTrue(series[2].getName().contains("published"));
        XYChart shrink = charts.get(2);
        XYSeries publishedShrink = shrink.getSeriesMap().values().toArray(new XYSeries[0])[2];
        assertEquals(0.875, publishedShrink.getXData()[0], 1e-12);
    }

    @Test
    void heatmapColoursFollowTheValuesAndOutlinesTheBestCell() {
        BufferedImage img = new SweepHeatmap(RESULT, SweepReport.PUBLISHED).toImage();
        assertTrue(img.getWidth() > 600 && img.getHeight() > 200);
        SweepGrid g = SweepGrid.standard();
        double[][] v = RESULT.thresholdByNms(RESULT.best().shrink(), RESULT.best().maxBoxes());
        // Cell corner pixels (away from the centred number) carry the cell's colour: a higher value is brighter.
        int lowT = 0, highT = java.util.Arrays.binarySearch(g.scoreThresholds(), RESULT.best().scoreThreshold());
        int ni = java.util.Arrays.binarySearch(g.nmsIous(), RESULT.best().nmsIou());
        assertTrue(v[ni][highT] > v[ni][lowT]);
        Color low = new Color(img.getRGB(80 + lowT * 64 + 6, 56 + ni * 34 + 8));
        Color bestEdge = new Color(img.getRGB(80 + highT * 64 + 3, 56 + ni * 34 + 17));
        assertTrue(brightness(SweepHeatmap.colour(1)) > brightness(SweepHeatmap.colour(0)));
        assertTrue(brightness(low) < brightness(SweepHeatmap.colour(1)));
        assertEquals(new Color(0, 170, 0), bestEdge, "best cell outlined in green");
    }

    @Test
    void overlayDrawsTruthGreenAndPredictionsRed() throws IOException {
        BufferedImage xray = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage out = BoxOverlay.truthAndPredictions(xray, List.of(new Box(20, 20, 100, 100)),
                List.of(new Detection(new Box(150, 150, 220, 230), 0.7)), null);
        assertEquals(BoxOverlay.TRUTH, new Color(out.getRGB(60, 20)));
        assertEquals(BoxOverlay.PREDICTION, new Color(out.getRGB(150, 200)));
        assertEquals(Color.BLACK, new Color(out.getRGB(60, 60)), "inside untouched");

        RawDetections raw = DATA.rawDetections("val");
        List<String> ids = List.of("img-0", "img-1");
        BeforeAfter ba = BeforeAfter.of(ids, id -> xray, raw, DATA.groundTruth, "no post-processing",
                SweepReport.BASELINE, "chosen", RESULT.best().settings(), 200);
        assertEquals(2, ba.rows().size());
        assertEquals(SweepReport.BASELINE.apply(raw.detections().get("img-1")), ba.rows().get(1).before());
        BufferedImage grid = ba.toImage();
        assertEquals(2 * 200 + 18, grid.getWidth());
        assertEquals(2 * 206 + 6, grid.getHeight());
        assertThrows(IllegalArgumentException.class, () -> BeforeAfter.of(List.of("nope"), id -> xray, raw,
                DATA.groundTruth, "a", SweepReport.BASELINE, "b", SweepReport.PUBLISHED, 100));
    }

    @Test
    void submissionWithTheChosenSettingsRoundTrips(@TempDir Path dir) throws IOException {
        RawDetections test = new SyntheticRaw("test", 30, 4).rawDetections("test");
        PostProcess chosen = RESULT.best().settings();
        Path file = dir.resolve("submission.csv");
        SweepSubmission.write(file, test, chosen);
        Submission back = Submission.read(file);
        assertEquals(List.of(), back.problems());
        assertEquals(test.imageIds(), List.copyOf(back.predictions().keySet()));
        Map<String, List<Detection>> expected = SplitScorer.apply(test, chosen);
        for (String id : test.imageIds()) {
            List<Detection> got = back.predictions().get(id);
            assertEquals(expected.get(id).size(), got.size(), id);
            for (int k = 0; k < got.size(); k++) {
                assertEquals(expected.get(id).get(k).score(), got.get(k).score(), 1e-12);
                assertEquals(expected.get(id).get(k).box().x1(), got.get(k).box().x1(), 1e-9);
                assertEquals(expected.get(id).get(k).box().height(), got.get(k).box().height(), 1e-9);
            }
        }
    }

    @Test
    void testImagesComeFromTheRsnaFolderInUse(@TempDir Path dir) throws IOException {
        Path rsna = dir.resolve("rsna");
        Files.createDirectories(rsna.resolve(SweepSubmission.TEST_IMAGES));
        for (String n : List.of("b.dcm", "a.dcm", "notes.txt")) {
            Files.writeString(rsna.resolve(SweepSubmission.TEST_IMAGES).resolve(n), "x");
        }
        DataConfig real = new DataConfig(dir, Optional.of(rsna), Optional.empty(), dir.resolve("sample"),
                dir.resolve("cache"), dir.resolve("runs"));
        assertEquals(List.of("a", "b"), SweepSubmission.testImageIds(real));
        DataConfig sampleMissing = new DataConfig(dir, Optional.empty(), Optional.empty(), dir.resolve("sample"),
                dir.resolve("cache"), dir.resolve("runs"));
        IOException e = assertThrows(IOException.class, () -> SweepSubmission.testImageIds(sampleMissing));
        assertTrue(e.getMessage().contains("stage_2_test_images") && e.getMessage().contains("sample"), e.getMessage());
    }

    private static double brightness(Color c) {
        return c.getRed() + c.getGreen() + c.getBlue();
    }
}
