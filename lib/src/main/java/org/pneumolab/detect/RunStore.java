package org.pneumolab.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nd4j.autodiff.samediff.SameDiff;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.train.TrainingHistory;

/**
 * Training runs on disk, one folder each: {@code runs/<name>/config.json} (what was trained),
 * {@code weights-eNNN.sd} (SameDiff graph, weights and updater state after epoch NNN),
 * {@code history.csv} ({@link TrainingHistory}), {@code state.json} naming the completed epoch and
 * its weights file, {@code best-eNNN.sd} and {@code best.json} (the epoch with the best validation
 * metric so far, when the trainer selects by one) and {@code kept.json}: the run's model, which
 * every reader applies (which epoch, which weights file and why). Every file is written
 * atomically, and a weights file is deleted only once no state names it, so an interrupted run
 * leaves a consistent last completed epoch to resume from and a kept model to read.
 */
public final class RunStore {

    private final Path root;

    public RunStore(Path root) {
        this.root = root;
    }

    public Path dir(String run) {
        if (!run.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run name may only use letters, digits, '.', '_' and '-': " + run);
        }
        return root.resolve(run);
    }

    /** The run's {@code config.json} (its {@link RunSpec}'s JSON), trimmed. */
    public String config(String run) throws IOException {
        Path cfg = dir(run).resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(dir(run) + ": not a run folder (no config.json)");
        }
        return Files.readString(cfg, StandardCharsets.UTF_8).trim();
    }

    /**
     * Replaces a run's {@code config.json} (atomically) when the trainer extends the run to more
     * epochs; the caller has checked that nothing else differs.
     */
    void extend(String run, String configJson) throws IOException {
        AtomicFiles.writeString(dir(run).resolve("config.json"), configJson + "\n");
    }

    /** What is on disk for a run. {@code completedEpochs == 0} means nothing to resume. */
    public record Checkpoint(int completedEpochs, SameDiff graph, TrainingHistory history) {
    }

    /**
     * The run's last completed epoch, or an empty checkpoint when the run does not exist yet.
     *
     * @throws IllegalStateException when the run exists with a different configuration: reusing
     *                               it would silently mix two experiments
     */
    public Checkpoint open(String run, String configJson) throws IOException {
        Path d = dir(run);
        Path cfg = d.resolve("config.json");
        if (!Files.exists(cfg)) {
            AtomicFiles.writeString(cfg, configJson + "\n");
            return new Checkpoint(0, null, new TrainingHistory());
        }
        String existing = Files.readString(cfg, StandardCharsets.UTF_8).trim();
        if (!existing.equals(configJson.trim())) {
            throw new IllegalStateException(cfg + ": run '" + run + "' exists with a different configuration;"
                    + " choose another run name or delete the folder.\n existing: " + existing + "\n requested: " + configJson);
        }
        Path state = d.resolve("state.json");
        if (!Files.exists(state)) {
            return new Checkpoint(0, null, new TrainingHistory());
        }
        int completed;
        String weightsName;
        try {
            com.google.gson.JsonObject o = new com.google.gson.JsonParser()
                    .parse(Files.readString(state, StandardCharsets.UTF_8)).getAsJsonObject();
            completed = o.get("completedEpochs").getAsInt();
            weightsName = o.get("weights").getAsString();
        } catch (RuntimeException ex) {
            throw new IOException(state + ": not a run state file (needs completedEpochs and weights)", ex);
        }
        Path weights = d.resolve(weightsName);
        SameDiff sd;
        try (InputStream in = Files.newInputStream(weights)) {
            sd = SameDiff.load(in, true);
        } catch (RuntimeException ex) {
            throw new IOException(weights + ": cannot load SameDiff checkpoint: " + ex.getMessage(), ex);
        }
        Path hist = d.resolve("history.csv");
        TrainingHistory h = Files.exists(hist) ? TrainingHistory.load(hist) : new TrainingHistory();
        return new Checkpoint(completed, sd, h);
    }

    /** The checkpoint kept for its validation metric: which epoch, its value, and (when loaded) its graph. */
    public record Best(int epoch, double value, SameDiff graph) {
    }

    /**
     * Keeps the weights of the epoch with the best validation metric so far ({@code best-eNNN.sd},
     * then {@code best.json} naming epoch, value and file, both atomic): the run's last epoch is not
     * necessarily its best, and the model a study reports is the one validation chose. The file
     * carries its epoch in its name so that {@code kept.json}, written after it, never names a
     * file that already holds another epoch's weights; superseded ones go in {@link #prune}.
     */
    public void saveBest(String run, int epoch, String metric, double value, SameDiff sd) throws IOException {
        Path d = dir(run);
        String name = String.format("best-e%03d.sd", epoch);
        AtomicFiles.write(d.resolve(name), out -> sd.save(out, true));
        com.google.gson.JsonObject best = new com.google.gson.JsonObject();
        best.addProperty("epoch", epoch);
        best.addProperty("metric", metric);
        best.addProperty("value", value); // never NaN: an undefined metric is never the best
        best.addProperty("weights", name);
        AtomicFiles.writeString(d.resolve("best.json"), best + "\n");
    }

    /** The best epoch recorded so far without loading its weights; null when none is. */
    public Best bestSoFar(String run) throws IOException {
        com.google.gson.JsonObject o = readJson(dir(run).resolve("best.json"), "a best-checkpoint file", "epoch", "value");
        return o == null ? null : new Best(o.get("epoch").getAsInt(), o.get("value").getAsDouble(), null);
    }

    /** The best checkpoint with its graph; null when the run never recorded one. */
    public Best loadBest(String run) throws IOException {
        Path json = dir(run).resolve("best.json");
        com.google.gson.JsonObject o = readJson(json, "a best-checkpoint file", "epoch", "value");
        if (o == null) {
            return null;
        }
        // runs from before the file carried its epoch in its name kept it in best.sd
        String weights = o.has("weights") ? o.get("weights").getAsString() : "best.sd";
        return new Best(o.get("epoch").getAsInt(), o.get("value").getAsDouble(), loadGraph(dir(run).resolve(weights)));
    }

    /**
     * The model a run keeps: which epoch, in which weights file of the run folder, and why.
     *
     * @param rule            {@link #BEST} (the epoch where {@code metric} was highest on validation) or
     *                        {@link #LAST} (the last completed epoch: no selection metric, or it was undefined at every epoch)
     * @param metric          the validation metric that chose it; null when none was named
     * @param value           its value at the kept epoch; null for the last epoch when undefined or not selected by
     * @param completedEpochs epochs completed when this was written (the kept epoch is at most this)
     * @param note            the same, in words, as studies print it
     */
    public record Kept(int epoch, String weights, String rule, String metric, Double value, int completedEpochs,
                       String note) {
        public Kept {
            if (epoch < 1 || epoch > completedEpochs) {
                throw new IllegalArgumentException("kept epoch " + epoch + " is not one of the " + completedEpochs + " completed");
            }
            if (!BEST.equals(rule) && !LAST.equals(rule)) {
                throw new IllegalArgumentException("kept rule must be '" + BEST + "' or '" + LAST + "': " + rule);
            }
            if (value != null && value.isNaN()) {
                throw new IllegalArgumentException("a kept value is a number or null (undefined), never NaN");
            }
        }
    }

    /** Kept rule: the epoch with the best validation metric. */
    public static final String BEST = "best";
    /** Kept rule: the last completed epoch. */
    public static final String LAST = "last";

    /** Records the run's kept model ({@code kept.json}, atomic), after the weights file it names is on disk. */
    public void writeKept(String run, Kept kept) throws IOException {
        Path d = dir(run);
        if (!Files.isRegularFile(d.resolve(kept.weights()))) {
            throw new IOException(d + ": kept model names " + kept.weights() + ", which is not on disk");
        }
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("epoch", kept.epoch());
        o.addProperty("weights", kept.weights());
        o.addProperty("rule", kept.rule());
        o.addProperty("metric", kept.metric());
        o.addProperty("value", kept.value());
        o.addProperty("completedEpochs", kept.completedEpochs());
        o.addProperty("note", kept.note());
        AtomicFiles.writeString(d.resolve(KEPT), new com.google.gson.GsonBuilder().serializeNulls().create()
                .toJson(org.pneumolab.io.JsonNumbers.requireFinite(o)) + "\n");
    }

    /** The kept-model file's name. */
    public static final String KEPT = "kept.json";

    /**
     * The run's kept model as {@code kept.json} records it; null when the run has no completed epoch.
     * A run folder written before {@code kept.json} existed is read by the rule its trainer applied
     * then: {@code best.json} present means the run selected by validation and kept that epoch
     * (in {@code best.sd}), absent means it kept its last epoch; the note says it was inferred.
     */
    public Kept kept(String run) throws IOException {
        Path d = dir(run);
        com.google.gson.JsonObject o = readJson(d.resolve(KEPT), "a kept-model file", "epoch", "weights", "rule",
                "completedEpochs");
        if (o != null) {
            Kept k;
            try {
                k = new Kept(o.get("epoch").getAsInt(), o.get("weights").getAsString(), o.get("rule").getAsString(),
                        nullableString(o, "metric"), o.has("value") && !o.get("value").isJsonNull() ? o.get("value").getAsDouble() : null,
                        o.get("completedEpochs").getAsInt(), nullableString(o, "note"));
            } catch (RuntimeException ex) {
                throw new IOException(d.resolve(KEPT) + ": not a kept-model file: " + ex.getMessage(), ex);
            }
            Kept now = decide(run, k.metric());
            // an epoch completed after kept.json was last written (interrupted between the two files):
            // the same rule over the completed epochs says what the trainer would have written
            return now != null && now.completedEpochs() != k.completedEpochs() ? now : k;
        }
        // before kept.json: best.json existed exactly when the trainer selected by a metric, and then kept its epoch
        com.google.gson.JsonObject best = readJson(d.resolve("best.json"), "a best-checkpoint file", "epoch", "value");
        Kept k = decide(run, best == null ? null : nullableString(best, "metric"));
        if (k == null) {
            return null;
        }
        return new Kept(k.epoch(), k.weights(), k.rule(), k.metric(), k.value(), k.completedEpochs(),
                k.note() + "; inferred: the run folder predates " + KEPT);
    }

    /**
     * The trainer's rule for the model a run keeps after its completed epochs: with
     * {@code selectBy} named, the epoch {@code best.json} records (where it was highest; an
     * undefined value is never best), or the last epoch when it was undefined at every epoch;
     * without it, the last epoch. Null when no epoch is completed.
     *
     * @throws IllegalStateException when {@code best.json} records another metric than {@code selectBy}
     */
    public Kept decide(String run, String selectBy) throws IOException {
        Path d = dir(run);
        com.google.gson.JsonObject state = readJson(d.resolve("state.json"), "a run state file", "completedEpochs", "weights");
        if (state == null) {
            return null;
        }
        int completed = state.get("completedEpochs").getAsInt();
        String last = state.get("weights").getAsString();
        if (selectBy == null) {
            return new Kept(completed, last, LAST, null, null, completed, org.pneumolab.train.BestEpoch.lastNote(completed, null));
        }
        com.google.gson.JsonObject best = readJson(d.resolve("best.json"), "a best-checkpoint file", "epoch", "value");
        if (best == null) {
            return new Kept(completed, last, LAST, selectBy, null, completed,
                    org.pneumolab.train.BestEpoch.lastNote(completed, selectBy + " was"));
        }
        String metric = nullableString(best, "metric");
        if (metric != null && !metric.equals(selectBy)) {
            throw new IllegalStateException(d + ": the run selects its epoch by " + metric + ", not " + selectBy);
        }
        int epoch = best.get("epoch").getAsInt();
        double value = best.get("value").getAsDouble();
        return new Kept(epoch, best.has("weights") ? best.get("weights").getAsString() : "best.sd", BEST, selectBy, value,
                completed, org.pneumolab.train.BestEpoch.note(epoch, completed, selectBy, value));
    }

    /** The run's kept model with its graph; null when the run has no completed epoch. */
    public KeptModel loadKept(String run) throws IOException {
        Kept k = kept(run);
        if (k == null) {
            return null;
        }
        Path weights = dir(run).resolve(k.weights());
        if (!Files.isRegularFile(weights)) {
            throw new IOException(dir(run) + ": the kept model (" + k.note() + ") names " + k.weights()
                    + ", which is missing: the run folder is incomplete or was edited by hand");
        }
        return new KeptModel(k, loadGraph(weights));
    }

    /** A kept model and its weights. */
    public record KeptModel(Kept kept, SameDiff graph) {
    }

    /**
     * Deletes the weights files no state names any more (superseded epochs and best checkpoints),
     * once state, best and kept files all point at their new files.
     */
    public void prune(String run) throws IOException {
        Path d = dir(run);
        java.util.Set<String> named = new java.util.HashSet<>();
        com.google.gson.JsonObject state = readJson(d.resolve("state.json"), "a run state file", "completedEpochs", "weights");
        if (state != null) {
            named.add(state.get("weights").getAsString());
        }
        com.google.gson.JsonObject best = readJson(d.resolve("best.json"), "a best-checkpoint file", "epoch", "value");
        if (best != null) {
            named.add(best.has("weights") ? best.get("weights").getAsString() : "best.sd");
        }
        Kept k = kept(run);
        if (k != null) {
            named.add(k.weights());
        }
        try (var files = Files.list(d)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if ((f.startsWith("weights-e") || f.startsWith("best")) && f.endsWith(".sd") && !named.contains(f)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String nullableString(com.google.gson.JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    /** A JSON object file with the named fields; null when the file does not exist. */
    private static com.google.gson.JsonObject readJson(Path file, String what, String... fields) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            com.google.gson.JsonObject o = new com.google.gson.JsonParser()
                    .parse(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            for (String f : fields) {
                if (!o.has(f) || o.get(f).isJsonNull()) {
                    throw new IllegalStateException("no " + f);
                }
            }
            return o;
        } catch (RuntimeException ex) {
            throw new IOException(file + ": not " + what + " (needs " + String.join(", ", fields) + "): " + ex.getMessage(), ex);
        }
    }

    private static SameDiff loadGraph(Path weights) throws IOException {
        try (InputStream in = Files.newInputStream(weights)) {
            return SameDiff.load(in, true);
        } catch (RuntimeException ex) {
            throw new IOException(weights + ": cannot load SameDiff checkpoint: " + ex.getMessage(), ex);
        }
    }

    /**
     * Records a completed epoch: weights, then history, then the state that points at them. The
     * superseded weights file stays until {@link #prune} (it may still be the kept model).
     */
    public void save(String run, int completedEpochs, SameDiff sd, TrainingHistory history) throws IOException {
        Path d = dir(run);
        String name = String.format("weights-e%03d.sd", completedEpochs);
        AtomicFiles.write(d.resolve(name), out -> sd.save(out, true));
        history.save(d.resolve("history.csv"));
        com.google.gson.JsonObject state = new com.google.gson.JsonObject();
        state.addProperty("completedEpochs", completedEpochs);
        state.addProperty("weights", name);
        AtomicFiles.writeString(d.resolve("state.json"), state + "\n");
    }
}
