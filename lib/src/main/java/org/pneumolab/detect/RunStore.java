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
 * {@code history.csv} ({@link TrainingHistory}) and {@code state.json}, written last, naming the
 * completed epoch and its weights file. Every file is written atomically, so an interrupted run
 * leaves a consistent last completed epoch to resume from.
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

    /** Records a completed epoch: weights, then history, then the state that points at them. */
    public void save(String run, int completedEpochs, SameDiff sd, TrainingHistory history) throws IOException {
        Path d = dir(run);
        String name = String.format("weights-e%03d.sd", completedEpochs);
        AtomicFiles.write(d.resolve(name), out -> sd.save(out, true));
        history.save(d.resolve("history.csv"));
        com.google.gson.JsonObject state = new com.google.gson.JsonObject();
        state.addProperty("completedEpochs", completedEpochs);
        state.addProperty("weights", name);
        AtomicFiles.writeString(d.resolve("state.json"), state + "\n");
        // older checkpoints are superseded only once the new state is on disk
        try (var files = Files.list(d)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.startsWith("weights-e") && f.endsWith(".sd") && !f.equals(name)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
