package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.pneumolab.data.Layout;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * A trained detector read back from its {@link RunStore} folder alone: the model's configuration
 * from {@code config.json}, the weights of the run's kept model ({@code kept.json}: the epoch
 * validation chose, or the last; see {@link RunStore#kept}), and the input pipeline it was trained
 * with (as {@link RunSpec} records it in {@code config.json}: size, resize mode, normalisation;
 * older folders recorded only the resize mode, or nothing when every run was stretched). What {@code pneumo predict} applies to new images: the model a study
 * scored, not merely the last epoch trained.
 */
public record SavedDetector(Detector detector, PipelineSpec pipeline, RunStore.Kept kept, Path runDir) {

    public static SavedDetector load(Path runDir) throws IOException {
        Path cfg = runDir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(runDir + ": not a detector run folder (no config.json)");
        }
        String text = Files.readString(cfg, StandardCharsets.UTF_8).trim();
        JsonObject root;
        try {
            root = new JsonParser().parse(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(cfg + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonObject d = root.has("detector") && root.get("detector").isJsonObject() ? root.getAsJsonObject("detector")
                : new JsonObject();
        String model = str(d, "model");
        Path parent = runDir.toAbsolutePath().getParent();
        RunStore.KeptModel kept = new RunStore(parent).loadKept(runDir.getFileName().toString());
        if (kept == null) {
            throw new IOException(runDir + ": the run has no completed epoch yet (no weights to apply)");
        }
        Detector det;
        int size;
        int channels;
        try {
            switch (model) {
                case "retinanet" -> {
                    RetinaNetConfig c = retinaNet(d);
                    det = RetinaNet.restore(c, kept.graph());
                    size = c.inputSize();
                    channels = c.inChannels();
                }
                case "faster-rcnn" -> {
                    FasterRcnnConfig c = fasterRcnn(d);
                    det = FasterRcnn.restore(c, kept.graph());
                    size = c.inputSize();
                    channels = c.inChannels();
                }
                default -> throw new IOException(cfg + ": unknown detector model '" + model + "'");
            }
        } catch (RuntimeException e) {
            throw new IOException(cfg + ": cannot rebuild the detector: " + e.getMessage(), e);
        }
        if (!new JsonParser().parse(det.configJson()).equals(d)) {
            throw new IOException(cfg + ": the detector rebuilt from it describes itself differently (written by another version?):\n  "
                    + d + "\n  " + det.configJson());
        }
        PipelineSpec spec;
        JsonElement recorded = root.get("pipeline");
        if (recorded != null && recorded.isJsonObject()) {
            try {
                spec = RunSpec.pipelineFrom(recorded.getAsJsonObject());
            } catch (RuntimeException e) {
                throw new IOException(cfg + ": cannot read the input pipeline: " + e.getMessage(), e);
            }
            if (spec.width() != size || spec.height() != size || spec.channels() != channels) {
                throw new IOException(cfg + ": the pipeline " + spec + " does not feed a " + size + " px, " + channels
                        + "-channel detector");
            }
        } else {
            // a run folder from before config.json recorded the whole pipeline: only its resize mode was
            // written, and every detector run then was ImageNet-normalised (DetectionData's only pipeline)
            String resize = recorded == null ? size + "x" + size + "/AREA/stretch" : recorded.getAsString();
            spec = new PipelineSpec(size, size, Interpolation.AREA, resize.endsWith("/pad"), Normalization.IMAGENET, channels,
                    Layout.NCHW);
            if (!spec.resizeKey().equals(resize)) {
                throw new IOException(cfg + ": trained with pipeline '" + resize + "', which predict cannot rebuild");
            }
        }
        return new SavedDetector(det, spec, kept.kept(), runDir);
    }

    private static JsonElement get(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("no " + key);
        }
        return e;
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
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

    private static BackboneSpec backbone(JsonObject b) {
        return new BackboneSpec(get(b, "name").getAsString(), i(b, "stemWidth"), ints(b, "widths"), ints(b, "blocks"),
                bool(b, "bottleneck"));
    }

    /** Every field by name, as {@link RetinaNetConfig#toJson()} writes them (the caller checks the round trip). */
    private static RetinaNetConfig retinaNet(JsonObject d) {
        return new RetinaNetConfig(backbone(get(d, "backbone").getAsJsonObject()), i(d, "inputSize"), i(d, "inChannels"),
                i(d, "fpnChannels"), i(d, "headConvs"), i(d, "levels"),
                dbl(d, "anchorScale"), dbl(d, "focalAlpha"), dbl(d, "focalGamma"),
                dbl(d, "positiveIou"), dbl(d, "negativeIou"), i(d, "topK"),
                i(d, "inferenceBatch"), dbl(d, "learningRate"), get(d, "seed").getAsLong(),
                bool(d, "pretrained"), bool(d, "doublePrecision"));
    }

    /** Every field by name, as {@link FasterRcnnConfig#toJson()} writes them (the caller checks the round trip). */
    private static FasterRcnnConfig fasterRcnn(JsonObject d) {
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
                bool(d, "doublePrecision"));
    }

    private static List<Integer> ints(JsonObject o, String key) {
        List<Integer> out = new ArrayList<>();
        for (JsonElement e : get(o, key).getAsJsonArray()) {
            out.add(e.getAsInt());
        }
        return out;
    }
}
