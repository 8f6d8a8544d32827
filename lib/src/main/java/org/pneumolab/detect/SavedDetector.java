package org.pneumolab.detect;

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
        try {
            det = Detectors.kind(model).restore(d.toString(), kept.graph());
        } catch (IllegalArgumentException e) {
            throw new IOException(cfg + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(cfg + ": cannot rebuild the detector: " + e.getMessage(), e);
        }
        int size = d.has("inputSize") ? d.get("inputSize").getAsInt() : -1;
        int channels = d.has("inChannels") ? d.get("inChannels").getAsInt() : -1;
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
            if (size > 0 && (spec.width() != size || spec.height() != size || spec.channels() != channels)) {
                throw new IOException(cfg + ": the pipeline " + spec + " does not feed a " + size + " px, " + channels
                        + "-channel detector");
            }
        } else if (size < 0) {
            throw new IOException(cfg + ": no input pipeline recorded, and the detector does not name its input size");
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

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }

}
