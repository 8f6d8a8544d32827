package org.pneumolab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.io.CsvFile;

/**
 * Metrics per epoch of one training run, e.g. {@code train_loss}, {@code val_loss}, {@code val_auc}.
 * Names carry their split as a prefix so every chart says which data a curve comes from.
 */
public final class TrainingHistory {
    /** One epoch's metrics, in insertion order. */
    public record Epoch(int epoch, Map<String, Double> metrics) {
        public Epoch {
            // Not Map.copyOf: its iteration order changes from one JVM run to the next, and with it
            // the column order of history.csv.
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    private final List<Epoch> epochs = new ArrayList<>();

    public synchronized void add(int epoch, Map<String, Double> metrics) {
        epochs.add(new Epoch(epoch, new LinkedHashMap<>(metrics)));
    }

    public synchronized List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public synchronized int size() {
        return epochs.size();
    }

    /** Metric names in first-seen order. */
    public synchronized Set<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Epoch e : epochs) {
            names.addAll(e.metrics().keySet());
        }
        return names;
    }

    /** The values of one metric by epoch (NaN where an epoch did not record it). */
    public synchronized double[] series(String metric) {
        return epochs.stream().mapToDouble(e -> e.metrics().getOrDefault(metric, Double.NaN)).toArray();
    }

    /** A line chart of the metrics whose names contain {@code filter} (all when empty). */
    public synchronized XYChart chart(String title, String filter) {
        XYChart chart = new XYChartBuilder().width(640).height(360).title(title)
                .xAxisTitle("epoch").yAxisTitle(filter == null || filter.isEmpty() ? "value" : filter).build();
        chart.getStyler().setMarkerSize(5);
        double[] x = epochs.stream().mapToDouble(Epoch::epoch).toArray();
        boolean any = false;
        for (String name : metricNames()) {
            if (filter != null && !filter.isEmpty() && !name.contains(filter)) {
                continue;
            }
            double[] y = series(name);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i])) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        if (!any) {
            chart.addSeries("(no epochs yet)", new double[] {0}, new double[] {0});
        }
        return chart;
    }

    /**
     * Writes a CSV (epoch plus one column per metric) atomically, through the CSV library; values
     * at full precision, so a resumed run reads back exactly what it wrote.
     */
    public synchronized void save(Path csv) throws IOException {
        List<String> names = new ArrayList<>(metricNames());
        List<String> header = new ArrayList<>();
        header.add("epoch");
        header.addAll(names);
        List<List<String>> rows = new ArrayList<>();
        for (Epoch e : epochs) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(e.epoch()));
            for (String n : names) {
                Double v = e.metrics().get(n);
                row.add(v == null ? "" : Double.toString(v));
            }
            rows.add(row);
        }
        CsvFile.write(csv, header, rows);
    }

    public static TrainingHistory load(Path csv) throws IOException {
        CsvFile file = CsvFile.read(csv, List.of("epoch"));
        TrainingHistory h = new TrainingHistory();
        for (CsvFile.Row row : file.rows()) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String name : file.header()) {
                String v = file.get(row, name);
                if (!name.equals("epoch") && !v.isEmpty()) {
                    m.put(name, Double.parseDouble(v));
                }
            }
            h.add(Integer.parseInt(file.get(row, "epoch")), m);
        }
        return h;
    }
}
