package org.pneumolab.detect;

import java.util.List;
import java.util.Objects;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.Layout;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.io.Digests;

/**
 * Everything that shapes a detector run's result, in one value: the model (its configuration,
 * backbone included), the input pipeline (size, resize mode, normalisation, channels, layout), the
 * training augmentation, the training settings, which validation metric picks the kept epoch and
 * how it is computed, and the training data (the split that produced it, and a digest of its images
 * and boxes). Its JSON ({@link #toJson}, written with Gson) is the run folder's {@code config.json};
 * its {@link #identity} (the JSON's SHA-256) names the run folder, keys the sweep's raw-detection
 * cache, and is computed nowhere else. A {@link RunStore} refuses to reuse a folder whose
 * {@code config.json} differs, so changing any of it trains a new run.
 *
 * @param detectorJson the detector's configuration ({@link DetectorConfig#toJson()}, with its {@code model})
 * @param selectBy     the validation metric (higher is better) that picks the kept epoch; null keeps the last
 * @param validation   how {@code selectBy} is computed (split and post-processing), in words; null when none
 * @param data         the training data: {@link #data} of its samples, with what the caller adds about the split
 */
public record RunSpec(String detectorJson, PipelineSpec pipeline, AugmentSpec augment, DetectorTrainer.Settings training,
                      String selectBy, String validation, String data) {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    public RunSpec {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(augment, "augment (AugmentSpec.none() for none)");
        Objects.requireNonNull(training, "training");
        detectorJson = canonical(detectorJson, "detector configuration");
        data = canonical(data, "training data");
        if (!parse(detectorJson).has("model")) {
            throw new IllegalArgumentException("a detector configuration names its model: " + detectorJson);
        }
        if ((selectBy == null) != (validation == null)) {
            throw new IllegalArgumentException("a selection metric and its description go together: " + selectBy + ", " + validation);
        }
    }

    /** A run of {@code detector} on {@code input}, with no more said about the data than its samples. */
    public static RunSpec of(Detector detector, DetectorTrainer.Input input, DetectorTrainer.Settings training,
                             String selectBy, String validation) {
        return new RunSpec(detector.configJson(), input.pipeline().spec(), input.augment(), training, selectBy, validation,
                data(input.samples(), new JsonObject()).toString());
    }

    /**
     * The training data's identity: how many images and a digest of every image's id and boxes, in
     * order (the order shapes the per-epoch shuffle), plus {@code extra} (e.g. the split's fractions
     * and seed). A regenerated sample or another split gives another digest.
     */
    public static JsonObject data(List<DetectionSample> samples, JsonObject extra) {
        StringBuilder all = new StringBuilder();
        for (DetectionSample s : samples) {
            all.append(s.id()).append('\t').append(s.boxes()).append('\n');
        }
        JsonObject o = new JsonObject();
        for (var e : extra.entrySet()) {
            o.add(e.getKey(), e.getValue());
        }
        o.addProperty("trainImages", samples.size());
        o.addProperty("trainSha256", Digests.sha256Hex(all.toString()));
        return o;
    }

    /** The detector's model name, the key of its configuration ({@code "retinanet"}, {@code "faster-rcnn"}, ...). */
    public String model() {
        return parse(detectorJson).get("model").getAsString();
    }

    /** This spec without a selection metric: the run keeps its last epoch (e.g. a rehearsal's capped run). */
    public RunSpec withoutSelection() {
        return new RunSpec(detectorJson, pipeline, augment, training, null, null, data);
    }

    /** The run folder's {@code config.json}: every field, in a fixed order. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("model", model());
        o.add("detector", parse(detectorJson));
        o.add("pipeline", pipelineJson(pipeline));
        o.add("augment", augment.toJson());
        JsonObject t = new JsonObject();
        t.addProperty("epochs", training.epochs());
        t.addProperty("batchSize", training.batchSize());
        t.addProperty("seed", training.seed());
        t.addProperty("maxStepsPerEpoch", training.maxStepsPerEpoch());
        o.add("training", t);
        JsonObject s = new JsonObject();
        s.addProperty("metric", selectBy);
        s.addProperty("validation", validation);
        s.addProperty("rule", selectBy == null ? "the last epoch" : "the epoch where the metric was highest (ties: the earlier)");
        o.add("selection", s);
        o.add("data", parse(data));
        return GSON.toJson(o);
    }

    /** The run's identity: the SHA-256 of {@link #toJson}. */
    public String identity() {
        return org.pneumolab.train.RunIdentity.of(toJson());
    }

    /** A run folder name: {@code stem} and the identity's first 12 hex digits. */
    public String runName(String stem) {
        return org.pneumolab.train.RunIdentity.folderName(stem, toJson());
    }

    /**
     * Whether two {@code config.json} texts describe the same run but for its epoch target: such a
     * run can be extended (epoch e's batches depend only on the seed and e, so training on from a
     * shorter run's last epoch gives a longer run's exact weights).
     */
    public static boolean sameButEpochs(String configA, String configB) {
        try {
            JsonObject a = parse(configA);
            JsonObject b = parse(configB);
            if (!a.has("training") || !b.has("training")) {
                return false;
            }
            a.getAsJsonObject("training").remove("epochs");
            b.getAsJsonObject("training").remove("epochs");
            return a.equals(b);
        } catch (RuntimeException e) {
            return false; // not a RunSpec's JSON (e.g. a run folder from before RunSpec): never the same run
        }
    }

    /** The pipeline as {@code config.json} records it: every field by name ({@link PipelineSpec#toJson}). */
    public static JsonObject pipelineJson(PipelineSpec p) {
        return p.toJson();
    }

    /** The pipeline {@link #pipelineJson} wrote. */
    public static PipelineSpec pipelineFrom(JsonObject o) {
        return PipelineSpec.fromJson(o);
    }

    private static JsonObject parse(String json) {
        return new JsonParser().parse(json).getAsJsonObject();
    }

    private static String canonical(String json, String what) {
        Objects.requireNonNull(json, what);
        try {
            JsonElement e = new JsonParser().parse(json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(what + " must be a JSON object: " + json);
            }
            return GSON.toJson(e);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + json, ex);
        }
    }
}
