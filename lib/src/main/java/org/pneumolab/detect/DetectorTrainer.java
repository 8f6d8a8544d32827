package org.pneumolab.detect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.nd4j.autodiff.samediff.SameDiff;
import org.pneumolab.data.BatchOptions;
import org.pneumolab.data.DetectionBatches;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.EpochOrder;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.Notebook;
import org.pneumolab.notebook.TrainingMonitor;
import org.pneumolab.runtime.NativeMemory;
import org.pneumolab.train.TrainingHistory;

/**
 * The epoch loop shared by both detectors: batches from the data package's prefetching
 * {@link DetectionBatches} (images streamed from the on-disk tensor cache, shuffled and augmented
 * per epoch from the seed), progress through {@link TrainingMonitor} ({@code train_loss} and its
 * parts, plus whatever the validation callback returns, e.g. {@code val_map}), and a
 * {@link RunStore} checkpoint after every completed epoch. A finished run with the same
 * configuration is loaded instead of retrained; an interrupted one resumes from its last completed
 * epoch (epoch e's order and augmentation depend only on the seed and e, so a resumed run sees the
 * same batches as an uninterrupted one).
 */
public final class DetectorTrainer {
    /** Validation metrics for an epoch; names must carry their split, e.g. {@code val_recall50}. */
    @FunctionalInterface
    public interface Validation {
        Map<String, Double> evaluate(Detector detector, int epoch);
    }

    /**
     * Training settings that are part of a run's identity.
     *
     * @param maxStepsPerEpoch 0 for whole epochs; otherwise training stops each epoch after this
     *                         many batches (a rehearsal's cap, recorded in the run's identity so a
     *                         capped run is never reused as a full one)
     */
    public record Settings(int epochs, int batchSize, long seed, int maxStepsPerEpoch) {
        public Settings {
            if (epochs < 1 || batchSize < 1 || maxStepsPerEpoch < 0) {
                throw new IllegalArgumentException("epochs and batchSize must be >= 1, maxStepsPerEpoch >= 0: " + epochs
                        + ", " + batchSize + ", " + maxStepsPerEpoch);
            }
        }

        public Settings(int epochs, int batchSize, long seed) {
            this(epochs, batchSize, seed, 0);
        }
    }

    /**
     * The training images (files and boxes in original pixels, no pixels in memory), the pipeline
     * that reads them (with its tensor cache), the augmentation, and where unreadable files are reported.
     */
    public record Input(List<DetectionSample> samples, ImagePipeline pipeline, AugmentSpec augment, ProblemLog log) {
        public Input {
            samples = List.copyOf(samples);
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

    /** Epoch e's order: {@link EpochOrder#detector}, the rule this trainer has always used. */
    static int[] shuffled(int size, long seed, int epoch) {
        return EpochOrder.detector(seed).order(size, epoch);
    }

    private static String trainDigest(RunSpec spec) {
        return String.valueOf(new com.google.gson.JsonParser().parse(spec.data()).getAsJsonObject().get("trainSha256"));
    }

    /** Mean of {@link #EPOCH_SECONDS} over the epochs that recorded it; NaN if none did. */
    public static double meanEpochSeconds(TrainingHistory h) {
        return java.util.Arrays.stream(h.series(EPOCH_SECONDS)).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** As {@link #train(RunStore, String, Detector, Function, Input, Settings, Validation, String)}, keeping the last epoch. */
    public static <D extends Detector> Result<D> train(RunStore store, String run, D fresh, Function<SameDiff, D> restore,
                                                       Input train, Settings settings,
                                                       Validation validation) throws IOException {
        return train(store, run, fresh, restore, train, settings, validation, null);
    }

    /**
     * As {@link #train(RunStore, String, RunSpec, Detector, Function, Input, Validation)}, the run
     * described by {@link RunSpec#of} (the data as its samples alone; {@code selectBy} computed by
     * {@code validation}).
     */
    public static <D extends Detector> Result<D> train(RunStore store, String run, D fresh, Function<SameDiff, D> restore,
                                                       Input train, Settings settings,
                                                       Validation validation, String selectBy) throws IOException {
        return train(store, run, RunSpec.of(fresh, train, settings, selectBy, selectBy == null ? null : "by the caller's validation"),
                fresh, restore, train, validation);
    }

    /**
     * Trains (or resumes, or reuses) the run {@code spec} describes, in folder {@code run}, whose
     * {@code config.json} is {@code spec}'s JSON. With the spec's {@code selectBy} naming one of the
     * validation metrics (higher is better), the weights of the epoch where it was highest are kept beside
     * the last epoch's and returned (ties keep the earlier epoch); an epoch where it is undefined
     * (NaN) is never chosen. Without it, or when no epoch had a value, the last epoch is returned.
     *
     * @throws IllegalArgumentException when {@code spec} does not describe {@code fresh} and {@code train}
     */
    public static <D extends Detector> Result<D> train(RunStore store, String run, RunSpec spec, D fresh,
                                                       Function<SameDiff, D> restore, Input train,
                                                       Validation validation) throws IOException {
        RunSpec described = RunSpec.of(fresh, train, spec.training(), spec.selectBy(), spec.validation());
        if (!described.detectorJson().equals(spec.detectorJson()) || !described.pipeline().equals(spec.pipeline())
                || !described.augment().equals(spec.augment()) || !trainDigest(described).equals(trainDigest(spec))) {
            throw new IllegalArgumentException("run " + run + ": its spec does not describe the model and input trained:\n  "
                    + spec.toJson() + "\n  " + described.toJson());
        }
        Settings settings = spec.training();
        String selectBy = spec.selectBy();
        String config = spec.toJson();
        if (java.nio.file.Files.isRegularFile(store.dir(run).resolve("config.json"))) {
            String existing = store.config(run);
            RunStore.Kept done = store.kept(run);
            if (!existing.equals(config) && RunSpec.sameButEpochs(existing, config)
                    && (done == null || done.completedEpochs() <= settings.epochs())) {
                store.extend(run, config); // more epochs of the same run: it trains on from its last epoch
            }
        }
        RunStore.Checkpoint cp = store.open(run, config);
        D detector = cp.completedEpochs() > 0 ? restore.apply(cp.graph()) : fresh;
        TrainingHistory history = cp.history();
        int start = cp.completedEpochs();
        if (start >= settings.epochs()) {
            return kept(store, run, detector, restore, history, true, start, Double.NaN, selectBy);
        }
        RunStore.Best best = selectBy == null ? null : store.bestSoFar(run);
        List<DetectionSample> used = new ArrayList<>();
        for (DetectionSample s : train.samples()) {
            if (detector.trainsOn(s)) {
                used.add(s);
            }
        }
        int steps = (used.size() + settings.batchSize() - 1) / settings.batchSize();
        if (settings.maxStepsPerEpoch() > 0) {
            steps = Math.min(steps, settings.maxStepsPerEpoch());
        }
        BatchOptions options = new BatchOptions(settings.batchSize(), true, train.augment(), settings.seed(), 2, 2);
        if (start > 0) {
            Notebook.html("<p>" + Html.escape(run) + ": resumed from epoch " + start + " of " + settings.epochs()
                    + " (its last checkpoint)</p>");
        }
        long t0 = System.nanoTime();
        try (DetectionBatches batches = new DetectionBatches(used, train.pipeline(), options, train.log(), start,
                (size, epoch) -> shuffled(size, settings.seed(), epoch));
             TrainingMonitor monitor = TrainingMonitor.start(run, settings.epochs(), steps, history, "loss")) {
            for (int epoch = start; epoch < settings.epochs(); epoch++) {
                if (epoch > start) {
                    batches.reset();
                }
                Map<String, Double> sums = new LinkedHashMap<>();
                long epochStart = System.nanoTime();
                int done = 0;
                while (done < steps && batches.hasNext()) {
                    Map<String, Double> parts = detector.fitBatch(batches.next(), settings.seed() + 100_000L * epoch + done);
                    parts.forEach((k, v) -> sums.merge(k, v, Double::sum));
                    monitor.step(parts.getOrDefault("loss", Double.NaN));
                    done++;
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                int n = Math.max(1, done);
                sums.forEach((k, v) -> metrics.put("train_" + k, v / n));
                // kept in the run's history, so a reused run still reports what training cost
                metrics.put(EPOCH_SECONDS, (System.nanoTime() - epochStart) / 1e9);
                if (validation != null) {
                    metrics.putAll(validation.evaluate(detector, epoch + 1));
                }
                monitor.endEpoch(metrics);
                // The best before the state that completes the epoch: an interrupt between the two
                // then leaves the epoch to be retrained (bit-identically, so its value ties and the
                // best stands), never a completed epoch whose best was not recorded.
                Double v = selectBy == null ? null : metrics.get(selectBy);
                if (v != null && org.pneumolab.train.BestEpoch.improves(v, best == null ? null : best.value())) {
                    store.saveBest(run, epoch + 1, selectBy, v, detector.graph());
                    best = new RunStore.Best(epoch + 1, v, null);
                }
                store.save(run, epoch + 1, detector.graph(), history);
                // the kept model so far, so an interrupted run's folder still names the model to apply
                store.writeKept(run, store.decide(run, selectBy));
                store.prune(run);
            }
        }
        // training is over: the step's cached activations and gradients would only sit under what
        // the user runs next (inference, the sweep, the other detector)
        detector.releaseCaches();
        NativeMemory.trim(); // and what they held goes back to the system
        double secs = (System.nanoTime() - t0) / 1e9 / (settings.epochs() - start);
        return kept(store, run, detector, restore, history, false, start, secs, selectBy);
    }

    /**
     * The run's kept model, as its {@code kept.json} names it (written here for a run folder from
     * before kept models were recorded): its best checkpoint when selection was asked for and
     * recorded, else the last epoch.
     */
    private static <D extends Detector> Result<D> kept(RunStore store, String run, D last, Function<SameDiff, D> restore,
            TrainingHistory history, boolean reused, int resumedFrom, double secs, String selectBy) throws IOException {
        RunStore.Kept k = java.nio.file.Files.exists(store.dir(run).resolve(RunStore.KEPT)) ? store.kept(run) : null;
        if (k == null) {
            k = store.decide(run, selectBy);
        } else if (!java.util.Objects.equals(k.metric(), selectBy)) {
            throw new IllegalStateException(store.dir(run) + ": the run keeps " + k.note() + ", chosen by "
                    + (k.metric() == null ? "no metric" : k.metric()) + "; asked to choose by "
                    + (selectBy == null ? "no metric" : selectBy));
        }
        store.writeKept(run, k); // a no-op rewrite, unless the folder predates kept.json or its last write was interrupted
        // the last epoch's weights are already in memory
        D model = k.epoch() == k.completedEpochs() ? last : restore.apply(store.loadKept(run).graph());
        return new Result<>(model, history, reused, resumedFrom, secs, k.epoch(), k.note());
    }
}
