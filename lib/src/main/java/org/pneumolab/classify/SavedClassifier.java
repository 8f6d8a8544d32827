package org.pneumolab.classify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.io.Digests;

/**
 * A trained classifier as a run folder, and read back from that folder alone (what
 * {@code pneumo predict} applies to new images):
 * <ul>
 *   <li>{@code base.zip}: the cut base with its weights as they are after training (a fine-tuned
 *       VGG16 carries its fine-tuned convolution), DL4J's model format, no updater;</li>
 *   <li>{@code head.zip}: the head, including the standardising layer's train-split statistics
 *       ({@link FeatureScaling#STANDARDIZE}) and the batch norm's running statistics;</li>
 *   <li>{@code classifier.json}, written last: the base (name, input size, feature vertex,
 *       Grad-CAM layer, pixel preprocessing, where its weights came from), the feature shape, the
 *       head's scaling and class weights, the training seed, the decision threshold and where it
 *       came from, the input pipeline, and the SHA-256 of both weight files.</li>
 * </ul>
 * Every file is written atomically. Reading checks the digests and that the JSON, the base and
 * the head agree with each other, and refuses a folder where they do not, naming the file and the
 * problem: a classifier that silently reads a changed folder would score with the wrong model.
 */
public record SavedClassifier(TransferModel model, String name, double threshold, String thresholdSource,
                              Path runDir) {
    public static final String CONFIG = "classifier.json";
    public static final String BASE = "base.zip";
    public static final String HEAD = "head.zip";
    /** The layout this class writes and reads; another number is refused, not guessed at. */
    public static final int FORMAT = 1;
    /** Class names by index of the head's output: 0 = NORMAL, 1 = PNEUMONIA (Kermany's labels). */
    public static final List<String> LABELS = List.of("NORMAL", "PNEUMONIA");

    /** Whether {@code dir} holds a classifier (its {@link #CONFIG}), as opposed to a detector run. */
    public static boolean isClassifierRun(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG));
    }

    /**
     * Writes {@code model} to {@code dir} (created when missing; an earlier classifier there is
     * replaced): the two weight files, then {@link #CONFIG} naming their digests.
     *
     * @param name            shown by predict, e.g. "VGG16 fine-tuned block5_conv3"
     * @param threshold       P(pneumonia) at or above which predict says PNEUMONIA, in (0, 1)
     * @param thresholdSource where the threshold came from, in words (e.g. "the study's fixed 0.5,
     *                        not chosen on validation")
     */
    public static Path save(TransferModel model, String name, double threshold, String thresholdSource, Path dir)
            throws IOException {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        Backbone b = model.backbone();
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(BASE), out -> ModelSerializer.writeModel(b.graph(), out, false));
        AtomicFiles.write(dir.resolve(HEAD), out -> ModelSerializer.writeModel(model.head(), out, false));

        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("kind", "classifier");
        o.addProperty("name", name);
        JsonArray labels = new JsonArray();
        LABELS.forEach(labels::add);
        o.add("labels", labels);
        JsonObject base = new JsonObject();
        base.addProperty("name", b.name());
        base.addProperty("inputSize", b.inputSize());
        base.addProperty("featureVertex", b.outputVertex());
        base.addProperty("gradCamLayer", b.gradCamLayer());
        base.addProperty("preprocessing", b.preprocessing().name());
        base.addProperty("weights", b.weights().kind().name());
        base.addProperty("weightsDetail", b.weights().detail());
        o.add("backbone", base);
        JsonArray shape = new JsonArray();
        for (long d : b.activationShape(b.outputVertex())) {
            shape.add(d);
        }
        o.add("featureShape", shape);
        o.addProperty("featureScaling", model.featureScaling().name());
        JsonObject cw = new JsonObject();
        cw.addProperty("normal", model.classWeights().normal());
        cw.addProperty("pneumonia", model.classWeights().pneumonia());
        o.add("classWeights", cw);
        o.addProperty("trainingSeed", model.seed());
        o.addProperty("threshold", threshold);
        o.addProperty("thresholdSource", thresholdSource);
        o.addProperty("pipeline", pipelineSpec(b.inputSize()).resizeKey());
        JsonObject files = new JsonObject();
        files.addProperty(BASE, Digests.sha256Hex(dir.resolve(BASE)));
        files.addProperty(HEAD, Digests.sha256Hex(dir.resolve(HEAD)));
        o.add("sha256", files);
        AtomicFiles.writeString(dir.resolve(CONFIG), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(org.pneumolab.io.JsonNumbers.requireFinite(o)) + "\n");
        return dir;
    }

    /**
     * The classifier in {@code runDir}.
     *
     * @throws IOException naming the file and the problem when the folder is not a classifier run,
     *                     a weight file is missing or differs from the digest recorded for it, or
     *                     {@link #CONFIG}, the base and the head disagree
     */
    public static SavedClassifier load(Path runDir) throws IOException {
        Path cfg = runDir.resolve(CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(runDir + ": not a classifier run folder (no " + CONFIG + ")");
        }
        JsonObject o;
        try {
            o = new JsonParser().parse(Files.readString(cfg, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(cfg + ": not a JSON object: " + e.getMessage(), e);
        }
        Config c = new Config(cfg, o);
        int format = c.integer(o, "format");
        if (format != FORMAT) {
            throw new IOException(cfg + ": format " + format + "; this version reads format " + FORMAT);
        }
        JsonObject b = c.object(o, "backbone");
        int inputSize = c.integer(b, "inputSize");
        String featureVertex = c.string(b, "featureVertex");
        String gradCamLayer = c.string(b, "gradCamLayer");
        Preprocessing preprocessing = c.constant(b, "preprocessing", Preprocessing.class);
        WeightsSource weights = new WeightsSource(c.constant(b, "weights", WeightsSource.Kind.class),
                c.string(b, "weightsDetail"));
        FeatureScaling scaling = c.constant(o, "featureScaling", FeatureScaling.class);
        JsonObject cwJson = c.object(o, "classWeights");
        ClassWeights classWeights;
        try {
            classWeights = new ClassWeights(c.number(cwJson, "normal"), c.number(cwJson, "pneumonia"));
        } catch (IllegalArgumentException e) {
            throw new IOException(cfg + ": classWeights: " + e.getMessage(), e);
        }
        double threshold = c.number(o, "threshold");
        if (!(threshold > 0 && threshold < 1)) {
            throw new IOException(cfg + ": threshold must be in (0, 1), got " + threshold);
        }
        String pipeline = c.string(o, "pipeline");
        if (!pipeline.equals(pipelineSpec(inputSize).resizeKey())) {
            throw new IOException(cfg + ": pipeline '" + pipeline + "' does not match inputSize " + inputSize
                    + " (expected '" + pipelineSpec(inputSize).resizeKey() + "')");
        }
        JsonArray shapeJson = c.array(o, "featureShape");
        long[] featureShape = new long[shapeJson.size()];
        for (int i = 0; i < featureShape.length; i++) {
            featureShape[i] = shapeJson.get(i).getAsLong();
        }
        JsonObject digests = c.object(o, "sha256");
        ComputationGraph baseGraph = restore(runDir.resolve(BASE), c.string(digests, BASE), cfg);
        ComputationGraph head = restore(runDir.resolve(HEAD), c.string(digests, HEAD), cfg);

        Path basePath = runDir.resolve(BASE);
        List<String> outputs = baseGraph.getConfiguration().getNetworkOutputs();
        if (!outputs.equals(List.of(featureVertex))) {
            throw new IOException(cfg + ": backbone.featureVertex is '" + featureVertex + "' but " + basePath
                    + " ends at " + outputs);
        }
        Backbone backbone;
        long[] actual;
        try {
            backbone = new Backbone(c.string(b, "name"), baseGraph, featureVertex, inputSize, weights, preprocessing,
                    gradCamLayer);
            actual = backbone.activationShape(featureVertex);
        } catch (RuntimeException e) {
            throw new IOException(cfg + ": does not describe " + basePath + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(actual, featureShape)) {
            throw new IOException(cfg + ": featureShape " + Arrays.toString(featureShape) + ", but " + basePath + " at "
                    + inputSize + " px gives " + Arrays.toString(actual) + " at " + featureVertex
                    + " (inputSize or featureShape changed?)");
        }
        if (Head.scaling(head) != scaling) {
            throw new IOException(cfg + ": featureScaling " + scaling + ", but " + runDir.resolve(HEAD) + " is a "
                    + Head.scaling(head) + " head");
        }
        long activations = actual[0] * actual[1] * actual[2];
        long headReads = headInputs(head);
        if (headReads != activations) {
            throw new IOException(runDir.resolve(HEAD) + ": reads " + headReads + " activations, but " + basePath
                    + " gives " + activations + " (" + Arrays.toString(actual) + "): base and head are of different models");
        }
        TransferModel model = TransferModel.restore(backbone, classWeights, head, c.longInteger(o, "trainingSeed"));
        return new SavedClassifier(model, c.string(o, "name"), threshold, c.string(o, "thresholdSource"), runDir);
    }

    /**
     * The image pipeline a classifier's pixels come from: square {@code size}, area-resized,
     * stretched, 3 channels, NCHW, 0..255 (the base's {@link Preprocessing} is applied after it).
     * The study and predict both use this, so new images are prepared exactly as training images.
     */
    public static PipelineSpec pipelineSpec(int size) {
        return PipelineSpec.classification(size).withNormalization(org.pneumolab.image.Normalization.PIXELS);
    }

    public PipelineSpec pipeline() {
        return pipelineSpec(model.backbone().inputSize());
    }

    /** P(PNEUMONIA) for raw images [N, 1|3, H, W] in 0..255 from {@link #pipeline()}. */
    public double[] scores(INDArray pixels) {
        return model.scores(pixels);
    }

    /** The class the run's threshold gives a score: PNEUMONIA at or above it, else NORMAL. */
    public String label(double score) {
        return LABELS.get(score >= threshold ? 1 : 0);
    }

    /** One line for people: name, base, weights, input, threshold. */
    public String describe() {
        Backbone b = model.backbone();
        return String.format(Locale.ROOT, "classifier: %s (%s), %s features at %s, %s weights; input %s; "
                        + "threshold %s (%s)", runDir, name, b.name(), b.outputVertex(), b.weights().kind(),
                pipeline().resizeKey(), threshold, thresholdSource);
    }

    private static long headInputs(ComputationGraph head) {
        String first = Head.layerNames(head).get(0);
        var v = head.getConfiguration().getVertices().get(first);
        var layer = ((LayerVertex) v).getLayerConf().getLayer();
        if (layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) {
            layer = f.getUnderlying();
        }
        return ((FeedForwardLayer) layer).getNIn();
    }

    private static ComputationGraph restore(Path file, String recordedDigest, Path cfg) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing (" + cfg.getFileName() + " names it)");
        }
        String actual = Digests.sha256Hex(file);
        if (!actual.equals(recordedDigest)) {
            throw new IOException(file + ": SHA-256 " + actual.substring(0, 12) + "... differs from the "
                    + recordedDigest.substring(0, Math.min(12, recordedDigest.length())) + "... recorded in "
                    + cfg.getFileName() + " (changed after saving, or an interrupted save): refusing to apply it");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a DL4J ComputationGraph: " + e.getMessage(), e);
        }
    }

    /** Typed reads of {@link #CONFIG} whose errors name the file and the field. */
    private record Config(Path file, JsonObject root) {
        JsonElement get(JsonObject o, String key) throws IOException {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                throw new IOException(file + ": missing '" + key + "'");
            }
            return e;
        }

        String string(JsonObject o, String key) throws IOException {
            JsonElement e = get(o, key);
            if (!e.isJsonPrimitive()) {
                throw new IOException(file + ": '" + key + "' must be a string, got " + e);
            }
            return e.getAsString();
        }

        double number(JsonObject o, String key) throws IOException {
            try {
                double v = get(o, key).getAsDouble();
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException("not finite");
                }
                return v;
            } catch (RuntimeException e) {
                throw new IOException(file + ": '" + key + "' must be a finite number, got " + o.get(key), e);
            }
        }

        int integer(JsonObject o, String key) throws IOException {
            double v = number(o, key);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IOException(file + ": '" + key + "' must be an integer, got " + o.get(key));
            }
            return (int) v;
        }

        long longInteger(JsonObject o, String key) throws IOException {
            try {
                return get(o, key).getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IOException(file + ": '" + key + "' must be an integer, got " + o.get(key), e);
            }
        }

        JsonObject object(JsonObject o, String key) throws IOException {
            JsonElement e = get(o, key);
            if (!e.isJsonObject()) {
                throw new IOException(file + ": '" + key + "' must be an object, got " + e);
            }
            return e.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String key) throws IOException {
            JsonElement e = get(o, key);
            if (!e.isJsonArray()) {
                throw new IOException(file + ": '" + key + "' must be an array, got " + e);
            }
            return e.getAsJsonArray();
        }

        <E extends Enum<E>> E constant(JsonObject o, String key, Class<E> type) throws IOException {
            String v = string(o, key);
            try {
                return Enum.valueOf(type, v);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": '" + key + "' is '" + v + "', expected one of "
                        + Arrays.toString(type.getEnumConstants()), e);
            }
        }
    }
}
