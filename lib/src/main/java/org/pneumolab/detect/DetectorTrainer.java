package org.pneumolab.detect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.nd4j.autodiff.samediff.SameDiff;
import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.Notebook;
import org.pneumolab.notebook.TrainingMonitor;
import org.pneumolab.train.TrainingHistory;

/**
 * The epoch loop shared by both detectors: seeded shuffling, mini-batches, progress through
 * {@link TrainingMonitor} ({@code train_loss} and its parts, plus whatever the validation callback
 * returns, e.g. {@code val_map}), and a {@link RunStore} checkpoint after every completed epoch. A
 * finished run with the same configuration is loaded instead of retrained; an interrupted one
 * resumes from its last completed epoch (the shuffle of epoch e depends only on the seed and e, so
 * a resumed run sees the same batches as an uninterrupted one).
 */
public final class DetectorTrainer {
    /** Validation metrics for an epoch; names must carry their split, e.g. {@code val_recall50}. */
    @FunctionalInterface
    public interface Validation {
        Map<String, Double> evaluate(Detector detector, int epoch);
    }

    /** Training settings that are part of a run's identity. */
    public record Settings(int epochs, int batchSize, long seed) {
        public Settings {
            if (epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs and batchSize must be >= 1: " + epochs + ", " + batchSize);
            }
        }
    }

    /**
     * @param detector the model the run keeps: the epoch with the best validation metric when one
     *                 was named, else the last; {@code reused} when nothing had to be trained;
     *                 {@code secondsPerEpoch} measured over the epochs trained in this call (NaN if none)
     * @param keptEpoch the epoch whose weights {@code detector} has (1-based)
     * @param keptNote  which epoch was kept and why, in words
     */
    public record Result<D extends Detector>(D detector, TrainingHistory history, boolean reused, int resumedFrom,
                                             double secondsPerEpoch, int keptEpoch, String keptNote) {
    }

    /** History metric: wall seconds of an epoch's training steps (validation excluded). */
    public static final String EPOCH_SECONDS = "epoch_train_seconds";

    private DetectorTrainer() {
    }

    /** Mean of {@link #EPOCH_SECONDS} over the epochs that recorded it; NaN if none did. */
    public static double meanEpochSeconds(TrainingHistory h) {
        return java.util.Arrays.stream(h.series(EPOCH_SECONDS)).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** As {@link #train(RunStore, String, Detector, Function, List, Settings, Validation, String)}, keeping the last epoch. */
    public static <D extends Detector> Result<D> train(RunStore store, String run, D fresh, Function<SameDiff, D> restore,
                                                       List<DetectionSample> train, Settings settings,
                                                       Validation validation) throws IOException {
        return train(store, run, fresh, restore, train, settings, validation, null);
    }

    /**
     * Trains (or resumes, or reuses) a run. With {@code selectBy} naming one of the validation
     * metrics (higher is better), the weights of the epoch where it was highest are kept beside
     * the last epoch's and returned (ties keep the earlier epoch); an epoch where it is undefined
     * (NaN) is never chosen. Without it, or when no epoch had a value, the last epoch is returned.
     */
    public static <D extends Detector> Result<D> train(RunStore store, String run, D fresh, Function<SameDiff, D> restore,
                                                       List<DetectionSample> train, Settings settings,
                                                       Validation validation, String selectBy) throws IOException {
        String config = "{\"detector\":" + fresh.configJson() + ",\"batchSize\":" + settings.batchSize()
                + ",\"trainSeed\":" + settings.seed() + ",\"trainImages\":" + train.size() + "}";
        RunStore.Checkpoint cp = store.open(run, config);
        D detector = cp.completedEpochs() > 0 ? restore.apply(cp.graph()) : fresh;
        TrainingHistory history = cp.history();
        int start = cp.completedEpochs();
        if (start >= settings.epochs()) {
            return kept(store, run, detector, restore, history, true, start, Double.NaN, selectBy);
        }
        RunStore.Best best = selectBy == null ? null : store.bestSoFar(run);
        List<DetectionSample> used = new ArrayList<>();
        for (DetectionSample s : train) {
            if (detector.trainsOn(s)) {
                used.add(s);
            }
        }
        int steps = (used.size() + settings.batchSize() - 1) / settings.batchSize();
        if (start > 0) {
            Notebook.html("<p>" + Html.escape(run) + ": resumed from epoch " + start + " of " + settings.epochs()
                    + " (its last checkpoint)</p>");
        }
        long t0 = System.nanoTime();
        try (TrainingMonitor monitor = TrainingMonitor.start(run, settings.epochs(), steps, history, "loss")) {
            for (int epoch = start; epoch < settings.epochs(); epoch++) {
                List<DetectionSample> order = new ArrayList<>(used);
                Collections.shuffle(order, new Random(settings.seed() * 1_000_003L + epoch));
                Map<String, Double> sums = new LinkedHashMap<>();
                long epochStart = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    List<DetectionSample> batch = order.subList(s * settings.batchSize(),
                            Math.min(order.size(), (s + 1) * settings.batchSize()));
                    Map<String, Double> parts = detector.fitBatch(batch, settings.seed() + 100_000L * epoch + s);
                    parts.forEach((k, v) -> sums.merge(k, v, Double::sum));
                    monitor.step(parts.getOrDefault("loss", Double.NaN));
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                sums.forEach((k, v) -> metrics.put("train_" + k, v / Math.max(1, steps)));
                // kept in the run's history, so a reused run still reports what training cost
                metrics.put(EPOCH_SECONDS, (System.nanoTime() - epochStart) / 1e9);
                if (validation != null) {
                    metrics.putAll(validation.evaluate(detector, epoch + 1));
                }
                monitor.endEpoch(metrics);
                store.save(run, epoch + 1, detector.graph(), history);
                Double v = selectBy == null ? null : metrics.get(selectBy);
                if (v != null && !v.isNaN() && (best == null || v > best.value())) {
                    store.saveBest(run, epoch + 1, selectBy, v, detector.graph());
                    best = new RunStore.Best(epoch + 1, v, null);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9 / (settings.epochs() - start);
        return kept(store, run, detector, restore, history, false, start, secs, selectBy);
    }

    /** The run's kept model: its best checkpoint when selection was asked for and recorded, else the last epoch. */
    private static <D extends Detector> Result<D> kept(RunStore store, String run, D last, Function<SameDiff, D> restore,
            TrainingHistory history, boolean reused, int resumedFrom, double secs, String selectBy) throws IOException {
        int lastEpoch = history.epochs().isEmpty() ? resumedFrom : history.epochs().get(history.epochs().size() - 1).epoch();
        if (selectBy == null) {
            return new Result<>(last, history, reused, resumedFrom, secs, lastEpoch, "last epoch (" + lastEpoch + ")");
        }
        RunStore.Best best = store.bestSoFar(run);
        if (best == null) {
            return new Result<>(last, history, reused, resumedFrom, secs, lastEpoch, "last epoch (" + lastEpoch
                    + "): " + selectBy + " was undefined at every epoch");
        }
        String note = String.format(java.util.Locale.ROOT, "epoch %d of %d, best %s (%s)", best.epoch(), lastEpoch,
                selectBy, org.pneumolab.report.Format.rate(best.value()));
        if (best.epoch() == lastEpoch) {
            return new Result<>(last, history, reused, resumedFrom, secs, lastEpoch, note);
        }
        return new Result<>(restore.apply(store.loadBest(run).graph()), history, reused, resumedFrom, secs,
                best.epoch(), note);
    }
}
