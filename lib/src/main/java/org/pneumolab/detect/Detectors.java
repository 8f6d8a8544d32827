package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The detectors the lab can build and restore, keyed by the model name their configuration JSON
 * carries ({@code "model"}): what {@link SavedDetector} (and so {@code pneumo predict}) and the
 * study use to rebuild a detector from its run folder's spec. Adding a detector is one class that
 * implements {@link Detector} and {@link Kind}, plus one {@link #register} call; no switch over
 * model names exists elsewhere.
 */
public final class Detectors {
    /** How to build a fresh detector and restore a trained one from a configuration's JSON. */
    public interface Kind {
        /** The {@code "model"} value of its configurations. */
        String model();

        /** A fresh network for {@code configJson}; IllegalArgumentException when the JSON lacks a field. */
        Detector create(String configJson);

        /** The detector around a graph loaded from a checkpoint. */
        Detector restore(String configJson, SameDiff graph);
    }

    private static final Map<String, Kind> KINDS = new TreeMap<>();

    static {
        register(new Kind() {
            public String model() {
                return "retinanet";
            }

            public Detector create(String json) {
                return RetinaNet.create(retinaNet(json));
            }

            public Detector restore(String json, SameDiff sd) {
                return RetinaNet.restore(retinaNet(json), sd);
            }
        });
        register(new Kind() {
            public String model() {
                return "faster-rcnn";
            }

            public Detector create(String json) {
                return FasterRcnn.create(fasterRcnn(json));
            }

            public Detector restore(String json, SameDiff sd) {
                return FasterRcnn.restore(fasterRcnn(json), sd);
            }
        });
    }

    private Detectors() {
    }

    /** Adds a kind (a test's own detector, a new model); registering a taken name again is refused. */
    public static synchronized void register(Kind kind) {
        Kind before = KINDS.putIfAbsent(kind.model(), kind);
        if (before != null && before != kind) {
            throw new IllegalStateException("a detector named '" + kind.model() + "' is registered already");
        }
    }

    /** The kind registered under {@code model}; IllegalArgumentException naming the known ones when none is. */
    public static synchronized Kind kind(String model) {
        Kind k = KINDS.get(model);
        if (k == null) {
            throw new IllegalArgumentException("unknown detector model '" + model + "' (known: " + KINDS.keySet() + ")");
        }
        return k;
    }

    /** The kind of a configuration's JSON, by its {@code "model"}. */
    public static Kind kindOf(String configJson) {
        JsonObject o = new JsonParser().parse(configJson).getAsJsonObject();
        if (!o.has("model")) {
            throw new IllegalArgumentException("a detector configuration names its model: " + configJson);
        }
        return kind(o.get("model").getAsString());
    }

    /** Every field by name, as {@link RetinaNetConfig#toJson()} writes them (readers check the round trip). */
    static RetinaNetConfig retinaNet(String json) {
        JsonObject d = new JsonParser().parse(json).getAsJsonObject();
        return new RetinaNetConfig(backbone(get(d, "backbone").getAsJsonObject()), i(d, "inputSize"), i(d, "inChannels"),
                i(d, "fpnChannels"), i(d, "headConvs"), i(d, "levels"),
                dbl(d, "anchorScale"), dbl(d, "focalAlpha"), dbl(d, "focalGamma"),
                dbl(d, "positiveIou"), dbl(d, "negativeIou"), i(d, "topK"),
                i(d, "inferenceBatch"), dbl(d, "learningRate"), get(d, "seed").getAsLong(),
                bool(d, "pretrained"),
                // absent from configurations written before the knob existed: their graphs trained the affines
                d.has("frozenNorm") ? bool(d, "frozenNorm") : false,
                bool(d, "doublePrecision"));
    }

    /** Every field by name, as {@link FasterRcnnConfig#toJson()} writes them (readers check the round trip). */
    static FasterRcnnConfig fasterRcnn(String json) {
        JsonObject d = new JsonParser().parse(json).getAsJsonObject();
        List<Double> anchors = new ArrayList<>();
        for (JsonElement a : get(d, "anchorSizes").getAsJsonArray()) {
            anchors.add(a.getAsDouble());
        }
        return new FasterRcnnConfig(backbone(get(d, "backbone").getAsJsonObject()), i(d, "inputSize"), i(d, "inChannels"),
                i(d, "rpnChannels"), anchors, i(d, "pooledSize"), i(d, "fcWidth"),
                i(d, "rpnBatch"), i(d, "roiBatch"), i(d, "preNmsTop"),
                i(d, "postNmsTop"), dbl(d, "proposalNmsIou"), dbl(d, "rpnPositiveIou"),
                dbl(d, "rpnNegativeIou"), dbl(d, "roiIou"), dbl(d, "learningRate"),
                get(d, "seed").getAsLong(), bool(d, "skipNegativeImages"), bool(d, "pretrained"),
                // absent from configurations written before the knob: their graphs trained the affines
                d.has("frozenNorm") ? bool(d, "frozenNorm") : false,
                bool(d, "doublePrecision"));
    }

    private static BackboneSpec backbone(JsonObject b) {
        return new BackboneSpec(get(b, "name").getAsString(), i(b, "stemWidth"), ints(b, "widths"), ints(b, "blocks"),
                bool(b, "bottleneck"));
    }

    private static JsonElement get(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("no " + key);
        }
        return e;
    }

    private static int i(JsonObject o, String key) {
        return get(o, key).getAsInt();
    }

    private static double dbl(JsonObject o, String key) {
        return get(o, key).getAsDouble();
    }

    private static boolean bool(JsonObject o, String key) {
        return get(o, key).getAsBoolean();
    }

    private static List<Integer> ints(JsonObject o, String key) {
        List<Integer> out = new ArrayList<>();
        for (JsonElement e : get(o, key).getAsJsonArray()) {
            out.add(e.getAsInt());
        }
        return out;
    }
}
