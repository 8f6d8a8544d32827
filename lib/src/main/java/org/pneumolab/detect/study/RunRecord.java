package org.pneumolab.detect.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RunSpec;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.io.JsonNumbers;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.runtime.Provenance;
import org.pneumolab.train.TrainingHistory;

/**
 * What a study adds to a detector's run folder once the run is scored, so the folder alone can be
 * listed and compared ({@code org.pneumolab.runs.Runs}) without retraining:
 * {@code evaluation.json}, every val and held-out image's true boxes and post-processed detections
 * in the bootstrap's image order, with the post-processing and the bootstrap's seed; and
 * {@code run.json}, the model, the study's knobs beside its profile's defaults, the kept epoch,
 * the val and held-out RSNA metric, training time, when and on which commit and machine it was
 * trained. Both written atomically; {@code run.json} keeps its first training's commit and time
 * when the run is reused.
 */
public final class RunRecord {
    /** The per-image evaluation file of a run folder. */
    public static final String EVALUATION = "evaluation.json";
    /** The run's description file. */
    public static final String RUN = "run.json";

    private RunRecord() {
    }

    static void write(Path dir, String model, String label, StudySpec spec, RunSpec runSpec, DetectionData data,
                      DetectorTrainer.Result<?> result, RsnaResult val, List<ImageDetections> valDetections,
                      RsnaResult heldOut, List<ImageDetections> heldOutDetections) throws IOException {
        long splitSeed = data.splitJson().get("splitSeed").getAsLong();
        JsonObject eval = new JsonObject();
        eval.add("post", post(spec.post()));
        eval.addProperty("bootstrapSeed", splitSeed);
        eval.addProperty("resamples", StudyResult.RESAMPLES);
        JsonObject parts = new JsonObject();
        parts.add(StudySpec.VAL, images(data, StudySpec.VAL, valDetections));
        parts.add(StudySpec.HELD_OUT, images(data, StudySpec.HELD_OUT, heldOutDetections));
        eval.add("parts", parts);
        AtomicFiles.writeString(dir.resolve(EVALUATION), new GsonBuilder().serializeNulls().create()
                .toJson(JsonNumbers.requireFinite(eval)) + "\n");

        Path runJson = dir.resolve(RUN);
        JsonObject before = Files.isRegularFile(runJson)
                ? new JsonParser().parse(Files.readString(runJson)).getAsJsonObject() : null;
        JsonObject o = new JsonObject();
        o.addProperty("model", model);
        o.addProperty("label", label);
        o.addProperty("identity", runSpec.identity());
        JsonParser p = new JsonParser();
        o.add("study", p.parse(spec.toJson()));
        o.add("studyDefaults", p.parse(StudySpec.forProfile(spec.profile(), splitSeed).toJson()));
        o.addProperty("keptEpoch", result.keptEpoch());
        o.addProperty("keptNote", result.keptNote());
        o.addProperty("completedEpochs", result.history().size());
        o.add("val", metric(val));
        o.add("heldOut", metric(heldOut));
        TrainingHistory h = result.history();
        double seconds = java.util.Arrays.stream(h.series(DetectorTrainer.EPOCH_SECONDS)).filter(Double::isFinite).sum();
        JsonNumbers.put(o, "trainingSeconds", h.size() == 0 ? Double.NaN : seconds, "no epoch recorded its time");
        if (before != null && before.has("trainedAt") && result.reused()) {
            // a reused run keeps the commit, machine and time it was trained with
            for (String k : List.of("trainedAt", "commit", "machine")) {
                o.add(k, before.get(k));
            }
        } else if (result.reused()) {
            o.addProperty("trainedAt", Files.getLastModifiedTime(dir.resolve("state.json")).toInstant().toString());
            o.addProperty("commit", "unknown (trained before run.json was recorded)");
            o.addProperty("machine", "unknown (trained before run.json was recorded)");
        } else {
            o.addProperty("trainedAt", Instant.now().toString());
            o.addProperty("commit", Provenance.commit(Path.of("").toAbsolutePath()));
            o.addProperty("machine", Provenance.machine());
        }
        AtomicFiles.writeString(runJson, new GsonBuilder().serializeNulls().setPrettyPrinting().create()
                .toJson(JsonNumbers.requireFinite(o)) + "\n");
    }

    private static JsonObject metric(RsnaResult r) {
        JsonObject m = new JsonObject();
        m.addProperty("split", r.split());
        m.addProperty("imagesScored", r.imagesScored());
        JsonNumbers.put(m, "rsnaMetric", r.score(), "no labelled image was scored");
        JsonNumbers.put(m, "ap50", r.ap50(), "the split has no true box");
        return m;
    }

    static JsonObject post(PostProcess pp) {
        JsonObject o = new JsonObject();
        o.addProperty("scoreThreshold", pp.scoreThreshold());
        o.addProperty("nmsIou", pp.nmsIou());
        o.addProperty("maxDetections", pp.maxDetections());
        o.addProperty("shrink", pp.shrink());
        return o;
    }

    /** A part's images in the ground truth's (the bootstrap's) order: id, class, true boxes, detections. */
    private static JsonArray images(DetectionData data, String part, List<ImageDetections> detections) {
        Map<String, List<Detection>> byId = new LinkedHashMap<>();
        detections.forEach(d -> byId.put(d.imageId(), d.detections()));
        Map<String, String> classes = data.classes(part);
        JsonArray out = new JsonArray();
        for (Map.Entry<String, List<Box>> e : data.groundTruth(part).entrySet()) {
            JsonObject img = new JsonObject();
            img.addProperty("id", e.getKey());
            img.addProperty("class", classes.get(e.getKey()));
            JsonArray truth = new JsonArray();
            for (Box b : e.getValue()) {
                truth.add(box(b, null));
            }
            img.add("truth", truth);
            List<Detection> d = byId.get(e.getKey());
            if (d == null) {
                img.add("detections", com.google.gson.JsonNull.INSTANCE);
                img.addProperty("detectionsUndefined", "the image was not scored (unreadable)");
            } else {
                JsonArray dets = new JsonArray();
                for (Detection x : d) {
                    dets.add(box(x.box(), x.score()));
                }
                img.add("detections", dets);
            }
            out.add(img);
        }
        return out;
    }

    private static JsonArray box(Box b, Double score) {
        JsonArray a = new JsonArray();
        if (score != null) {
            a.add(score);
        }
        a.add(b.x1());
        a.add(b.y1());
        a.add(b.x2());
        a.add(b.y2());
        return a;
    }
}
