package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import org.pneumolab.data.Layout;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * A trained detector read back from its {@link RunStore} folder alone: the model's configuration
 * from {@code config.json}, the last completed epoch's weights, and the input pipeline it was
 * trained with (size and resize mode; runs from before the pipeline was recorded were stretched,
 * as every detector run then was). What {@code pneumo predict} applies to new images.
 */
public record SavedDetector(Detector detector, PipelineSpec pipeline, int completedEpochs, Path runDir) {

    public static SavedDetector load(Path runDir) throws IOException {
        Path cfg = runDir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(runDir + ": not a detector run folder (no config.json)");
        }
        String text = Files.readString(cfg, StandardCharsets.UTF_8).trim();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(cfg + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode d = root.path("detector");
        String model = d.path("model").asText("");
        Path parent = runDir.toAbsolutePath().getParent();
        RunStore.Checkpoint cp = new RunStore(parent).open(runDir.getFileName().toString(), text);
        if (cp.completedEpochs() == 0 || cp.graph() == null) {
            throw new IOException(runDir + ": the run has no completed epoch yet (no weights to apply)");
        }
        Detector det;
        int size;
        int channels;
        try {
            switch (model) {
                case "retinanet" -> {
                    RetinaNetConfig c = retinaNet(d);
                    det = RetinaNet.restore(c, cp.graph());
                    size = c.inputSize();
                    channels = c.inChannels();
                }
                case "faster-rcnn" -> {
                    FasterRcnnConfig c = fasterRcnn(d);
                    det = FasterRcnn.restore(c, cp.graph());
                    size = c.inputSize();
                    channels = c.inChannels();
                }
                default -> throw new IOException(cfg + ": unknown detector model '" + model + "'");
            }
        } catch (RuntimeException e) {
            throw new IOException(cfg + ": cannot rebuild the detector: " + e.getMessage(), e);
        }
        if (!new ObjectMapper().readTree(det.configJson()).equals(d)) {
            throw new IOException(cfg + ": the detector rebuilt from it describes itself differently (written by another version?):\n  "
                    + d + "\n  " + det.configJson());
        }
        String resize = root.path("pipeline").asText(size + "x" + size + "/AREA/stretch");
        boolean keepAspect = resize.endsWith("/pad");
        PipelineSpec spec = new PipelineSpec(size, size, Interpolation.AREA, keepAspect, Normalization.IMAGENET, channels,
                Layout.NCHW);
        if (!spec.resizeKey().equals(resize)) {
            throw new IOException(cfg + ": trained with pipeline '" + resize + "', which predict cannot rebuild");
        }
        return new SavedDetector(det, spec, cp.completedEpochs(), runDir);
    }

    private static BackboneSpec backbone(JsonNode b) {
        return new BackboneSpec(b.path("name").asText(), b.path("stemWidth").asInt(), ints(b.path("widths")),
                ints(b.path("blocks")), b.path("bottleneck").asBoolean());
    }

    /** Every field by name, as {@link RetinaNetConfig#toJson()} writes them (the caller checks the round trip). */
    private static RetinaNetConfig retinaNet(JsonNode d) {
        return new RetinaNetConfig(backbone(d.path("backbone")), d.path("inputSize").asInt(), d.path("inChannels").asInt(),
                d.path("fpnChannels").asInt(), d.path("headConvs").asInt(), d.path("levels").asInt(),
                d.path("anchorScale").asDouble(), d.path("focalAlpha").asDouble(), d.path("focalGamma").asDouble(),
                d.path("positiveIou").asDouble(), d.path("negativeIou").asDouble(), d.path("topK").asInt(),
                d.path("inferenceBatch").asInt(), d.path("learningRate").asDouble(), d.path("seed").asLong(),
                d.path("pretrained").asBoolean(), d.path("doublePrecision").asBoolean());
    }

    /** Every field by name, as {@link FasterRcnnConfig#toJson()} writes them (the caller checks the round trip). */
    private static FasterRcnnConfig fasterRcnn(JsonNode d) {
        JsonNode a = d.path("anchorSizes");
        List<Double> anchors = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            anchors.add(a.get(i).asDouble());
        }
        return new FasterRcnnConfig(backbone(d.path("backbone")), d.path("inputSize").asInt(), d.path("inChannels").asInt(),
                d.path("rpnChannels").asInt(), anchors, d.path("pooledSize").asInt(), d.path("fcWidth").asInt(),
                d.path("rpnBatch").asInt(), d.path("roiBatch").asInt(), d.path("preNmsTop").asInt(),
                d.path("postNmsTop").asInt(), d.path("proposalNmsIou").asDouble(), d.path("rpnPositiveIou").asDouble(),
                d.path("rpnNegativeIou").asDouble(), d.path("roiIou").asDouble(), d.path("learningRate").asDouble(),
                d.path("seed").asLong(), d.path("skipNegativeImages").asBoolean(), d.path("pretrained").asBoolean(),
                d.path("doublePrecision").asBoolean());
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).asInt());
        }
        return out;
    }
}
