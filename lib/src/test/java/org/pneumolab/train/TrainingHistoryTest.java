package org.pneumolab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class TrainingHistoryTest {

    @Test
    void savesAndLoadsEveryMetricIncludingGaps(@TempDir Path dir) throws Exception {
        TrainingHistory h = new TrainingHistory();
        h.add(1, Map.of("train_loss", 0.9));
        Map<String, Double> second = new LinkedHashMap<>();
        second.put("train_loss", 0.5);
        second.put("val_auc", 0.75);
        h.add(2, second);
        Path csv = dir.resolve("history.csv");
        h.save(csv);

        TrainingHistory back = TrainingHistory.load(csv);
        assertEquals(2, back.size());
        assertEquals(List.of("train_loss", "val_auc"), List.copyOf(back.metricNames()));
        assertArrayEquals(new double[] {0.9, 0.5}, back.series("train_loss"), 1e-9);
        double[] auc = back.series("val_auc");
        assertTrue(Double.isNaN(auc[0]), "epoch 1 recorded no val_auc");
        assertEquals(0.75, auc[1], 1e-9);
    }

    @Test
    void csvColumnsKeepTheOrderTheMetricsWereRecordedIn(@TempDir Path dir) throws Exception {
        // Enough names that a hash-ordered map would all but surely shuffle them.
        List<String> names = List.of("train_loss", "train_cls", "train_box", "train_rpn_cls", "train_rpn_box",
                "epoch_seconds", "val_loss", "val_map", "val_auc", "val_recall", "val_precision", "val_f1");
        TrainingHistory h = new TrainingHistory();
        for (int epoch = 1; epoch <= 2; epoch++) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), epoch + i / 100.0);
            }
            h.add(epoch, m);
        }
        Path csv = dir.resolve("history.csv");
        h.save(csv);
        String header = java.nio.file.Files.readAllLines(csv).get(0);
        assertEquals("epoch," + String.join(",", names), header);
        assertEquals(names, List.copyOf(h.epochs().get(0).metrics().keySet()));
    }

    @Test
    void chartHasOneSeriesPerMatchingMetric() {
        TrainingHistory h = new TrainingHistory();
        h.add(1, Map.of("train_loss", 1.0, "val_loss", 1.2, "val_auc", 0.6));
        XYChart chart = h.chart("t", "loss");
        assertEquals(2, chart.getSeriesMap().size());
        assertTrue(chart.getSeriesMap().containsKey("train_loss"));
        assertTrue(chart.getSeriesMap().containsKey("val_loss"));
    }
}
