package org.pneumolab.notebook;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.knowm.xchart.XYChart;
import org.pneumolab.train.TrainingHistory;

/**
 * What a training loop reports to: a progress bar over all steps with the running loss, and a
 * loss/metric chart redrawn in place after every epoch. Headless it prints one line per epoch.
 *
 * <pre>
 * try (var monitor = TrainingMonitor.start("VGG16 head", epochs, batchesPerEpoch)) {
 *     for (...) { monitor.step(loss); }
 *     monitor.endEpoch(Map.of("train_loss", l, "val_loss", v));
 * }
 * </pre>
 */
public final class TrainingMonitor implements AutoCloseable {
    private final String title;
    private final ProgressBar bar;
    private final DisplayHandle chartHandle;
    private final TrainingHistory history;
    private final String chartFilter;
    private int epoch;
    private double runningLoss = Double.NaN;
    private String resumed = "";

    private TrainingMonitor(String title, ProgressBar bar, DisplayHandle chartHandle, TrainingHistory history,
                            String chartFilter) {
        this.title = title;
        this.bar = bar;
        this.chartHandle = chartHandle;
        this.history = history;
        this.chartFilter = chartFilter;
    }

    public static TrainingMonitor start(String title, int epochs, long stepsPerEpoch) {
        return start(title, epochs, stepsPerEpoch, new TrainingHistory(), "");
    }

    /**
     * @param history where epochs are recorded (pass a resumed run's history to continue it)
     * @param chartFilter only metrics whose name contains this are charted ("" for all)
     */
    public static TrainingMonitor start(String title, int epochs, long stepsPerEpoch, TrainingHistory history,
                                        String chartFilter) {
        ProgressBar bar = ProgressBar.start(title, (long) epochs * Math.max(1, stepsPerEpoch));
        DisplayHandle chart = Notebook.isActive()
                ? Notebook.display(history.chart(title + ": training curves", chartFilter))
                : new DisplayHandle(null);
        TrainingMonitor m = new TrainingMonitor(title, bar, chart, history, chartFilter);
        m.epoch = history.size();
        if (m.epoch > 0) {
            // a rerun after an interrupt continues; the bar says so for as long as it runs
            m.resumed = "resumed from epoch " + m.epoch + " of " + epochs;
            bar.set((long) m.epoch * Math.max(1, stepsPerEpoch));
            bar.message(m.resumed);
            m.resumed += "; ";
        }
        return m;
    }

    /** One optimisation step done; {@code loss} is that batch's training loss. */
    public void step(double loss) {
        if (!Double.isNaN(loss)) {
            runningLoss = Double.isNaN(runningLoss) ? loss : 0.9 * runningLoss + 0.1 * loss;
        }
        bar.message(resumed + String.format(Locale.ROOT, "epoch %d, loss %.4f", epoch + 1, runningLoss));
        bar.step();
    }

    /** Records an epoch's metrics (names prefixed by split, e.g. val_auc) and redraws the chart. */
    public void endEpoch(Map<String, Double> metrics) {
        epoch++;
        history.add(epoch, new LinkedHashMap<>(metrics));
        if (chartHandle.isLive()) {
            chartHandle.update(chart());
        } else if (!Notebook.isActive()) {
            String line = metrics.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
            System.err.println(title + " epoch " + epoch + ": " + line);
        }
    }

    public XYChart chart() {
        return history.chart(title + ": training curves", chartFilter);
    }

    public TrainingHistory history() {
        return history;
    }

    @Override
    public void close() {
        bar.close();
        if (folding > 0 && chartHandle.isLive()) {
            // many runs in one cell: their curves go in one chart drawn from the run folders
            chartHandle.updateHtml("<p>" + Html.escape(title) + ": " + history.size()
                    + " epochs; its training curves are in the chart of every run below</p>");
        }
    }

    private static int folding;

    /**
     * While the returned scope is open, a monitor's live chart is shown during training and
     * replaced by a one-line note when it closes: a cell that trains many runs (notebook 03's
     * class-weight sweep) then ends with one chart of all of them instead of one chart each.
     */
    public static synchronized AutoCloseable foldCharts() {
        folding++;
        return () -> {
            synchronized (TrainingMonitor.class) {
                folding--;
            }
        };
    }
}
