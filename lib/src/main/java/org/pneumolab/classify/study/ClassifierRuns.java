package org.pneumolab.classify.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.Head;
import org.pneumolab.classify.Predictions;
import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.data.ImageIds;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.io.JsonNumbers;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.train.RunIdentity;
import org.pneumolab.train.TrainingHistory;

/**
 * A Kermany study's trained model as a run folder, the same unit as a detector run
 * ({@code org.pneumolab.runs.Runs} lists and compares both), under the study's runs folder:
 * <ul>
 *   <li>{@code config.json}: the spec, everything that shapes the result (base, its weights,
 *       input size, feature vertex, pixel preprocessing, input pipeline, head, class weights,
 *       optimiser, learning rate, epochs, batch, seeds, fine-tuning, selection rule, the split and
 *       the images of each split); the folder's name ends with its identity
 *       ({@link RunIdentity}), so changing any knob gives another folder;</li>
 *   <li>{@code kept.json}: the kept epoch, by which rule, its value and why, as the trainer kept it
 *       ({@link TransferModel.Fitted}, {@code org.pneumolab.train.BestEpoch}), and which file holds it;</li>
 *   <li>the kept model itself ({@link SavedClassifier}: {@code classifier.json}, {@code base.zip},
 *       {@code head.zip}), which {@code pneumo predict --run} applies;</li>
 *   <li>{@code history.csv}: every epoch's train_loss, val_loss, val_auc;</li>
 *   <li>{@code evaluation.json}: every val and test image's id, label and P(pneumonia) under
 *       the kept model, with the study's bootstrap seed, so two runs compare without retraining;</li>
 *   <li>{@code run.json}: name, the study's knobs beside the profile's defaults, kept epoch, val
 *       and test ROC AUC, training time, when, on which commit and machine.</li>
 * </ul>
 * Every file is written atomically, {@code run.json} last; a reused (already trained) run keeps
 * the commit, machine and time it was trained with, which its checkpoint recorded.
 */
public final class ClassifierRuns {
    /** The {@code kind} of a classifier run's {@code config.json} (detector specs have no kind). */
    public static final String KIND = "classifier";
    /** The run's spec (not {@link SavedClassifier#CONFIG}, the kept model's own description). */
    public static final String SPEC_FILE = "config.json";
    public static final String KEPT = "kept.json";
    public static final String HISTORY = "history.csv";
    public static final String EVALUATION = "evaluation.json";
    public static final String RUN = "run.json";
    /** The metric that picks the kept epoch, as the history names it. */
    public static final String SELECT_BY = "val_auc";

    private static final Gson SPEC = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final Gson PRETTY = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create();

    private ClassifierRuns() {
    }

    /** How a head or a fine-tuning was trained: its optimiser at {@code learningRate}, seeded. */
    record Training(double learningRate, int epochs, int batchSize, long initSeed, long shuffleSeed) {
    }

    /**
     * The network a run trains, as built for training (the head; for a fine-tuning its tail, the
     * unfrozen layers and the head): its configuration's JSON (layer sizes, activations, dropout,
     * loss with its class weights, updater, seed) and its optimiser, both read from that
     * configuration.
     */
    record Trainee(String configurationJson, String optimizer) {
        static Trainee of(org.deeplearning4j.nn.conf.ComputationGraphConfiguration c) {
            return new Trainee(c.toJson(), optimizer(c.getVertices().values().stream()
                    .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex)
                    .map(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer()).toList()));
        }

        static Trainee of(org.deeplearning4j.nn.conf.MultiLayerConfiguration c) {
            return new Trainee(c.toJson(), optimizer(c.getConfs().stream()
                    .map(org.deeplearning4j.nn.conf.NeuralNetConfiguration::getLayer).toList()));
        }

        /** The updaters of the layers that train, by class ("RmsProp"); several joined by " + ". */
        private static String optimizer(List<org.deeplearning4j.nn.conf.layers.Layer> layers) {
            List<String> names = layers.stream()
                    .filter(l -> l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer)
                    .map(l -> ((org.deeplearning4j.nn.conf.layers.BaseLayer) l).getIUpdater())
                    .filter(u -> u != null && !(u instanceof org.nd4j.linalg.learning.config.NoOp))
                    .map(u -> u.getClass().getSimpleName()).distinct().sorted().toList();
            if (names.isEmpty()) {
                throw new IllegalArgumentException("no layer of the network trains (every updater is NoOp)");
            }
            return String.join(" + ", names);
        }
    }

    /**
     * A run's {@code config.json}: only what decides the result, nothing of the machine it ran on
     * (no paths, file times or messages), so the same data and weights elsewhere are the same run.
     *
     * @param base          the base as it was before training (for a fine-tuning: the stage-1 base)
     * @param weightsId     which weights the base has: a digest of its parameters, or "random init, seed N"
     * @param featureVertex the base vertex whose activations the trained part reads (the base
     *                      output for a head, the frozen layer before the fine-tuned one)
     * @param trainee       the network trained, as built for training
     * @param fineTune      null for a head; for a fine-tuning, what was unfrozen and the stage-1 run's identity
     */
    static String spec(StudyConfig config, StudyData data, Backbone base, String weightsId, String featureVertex,
                       TransferModel model, Trainee trainee, Training training, JsonObject fineTune) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", KIND);
        o.addProperty("model", base.name() + (fineTune == null ? " head" : " fine-tuned"));
        JsonObject b = new JsonObject();
        b.addProperty("name", base.name());
        b.addProperty("weights", base.weights().kind().name());
        b.addProperty("weightsId", weightsId);
        b.addProperty("inputSize", base.inputSize());
        b.addProperty("output", base.outputVertex());
        b.addProperty("featureVertex", featureVertex);
        b.addProperty("preprocessing", base.preprocessing().name());
        o.add("base", b);
        o.add("pipeline", data.pipeline(base.inputSize()).spec().toJson());
        JsonObject h = new JsonObject();
        h.addProperty("featureScaling", model.featureScaling().name());
        JsonArray layers = new JsonArray();
        Head.layerNames(model.featureScaling()).forEach(layers::add);
        h.add("layers", layers);
        // the trained network's layers: sizes, activations, dropout, loss (with its class weights), updater and seed
        h.addProperty("configurationSha256", org.pneumolab.io.Digests.sha256Hex(trainee.configurationJson()));
        h.add("classWeights", classWeights(model.classWeights()));
        o.add("head", h);
        JsonObject t = new JsonObject();
        t.addProperty("optimizer", trainee.optimizer());
        t.addProperty("learningRate", training.learningRate());
        t.addProperty("epochs", training.epochs());
        t.addProperty("batchSize", training.batchSize());
        t.addProperty("initSeed", training.initSeed());
        t.addProperty("shuffleSeed", training.shuffleSeed());
        o.add("training", t);
        o.add("fineTune", fineTune);
        JsonObject s = new JsonObject();
        s.addProperty("metric", SELECT_BY);
        s.addProperty("validation", "ROC AUC of P(pneumonia) on the val split, every epoch");
        s.addProperty("rule", "the epoch where the metric was highest (ties: the earlier)");
        o.add("selection", s);
        o.add("data", dataJson(config, data, base.inputSize()));
        return SPEC.toJson(JsonNumbers.requireFinite(o));
    }

    /**
     * The data: the split (how train and val were re-split and capped, and the images of every
     * split before the decode check: equal for two runs exactly when they are on the same split),
     * and the images each split used at this input size. Images by id ({@link ImageIds}) and
     * label, not by path or file time (those key the caches only), so a copy of the data in
     * another folder is the same split.
     */
    private static JsonObject dataJson(StudyConfig config, StudyData data, int size) {
        JsonObject split = new JsonObject();
        split.addProperty("dataset", data.isReal() ? "kermany" : "kermany-synthetic-sample");
        split.addProperty("rule", "train and val pooled, re-split by patient, stratified; test as shipped");
        split.addProperty("valFraction", config.valFraction());
        split.addProperty("splitSeed", config.seed());
        split.addProperty("maxImagesPerSplit", config.maxImagesPerSplit());
        JsonObject images = new JsonObject();
        JsonObject used = new JsonObject();
        for (String name : StudyData.SPLITS) {
            images.addProperty(name, imagesDigest(data.records(name)));
            used.addProperty(name, imagesDigest(data.readable(name, size)));
        }
        split.add("imagesSha256", images);
        JsonObject o = new JsonObject();
        o.add("split", split);
        o.add("readableSha256", used);
        return o;
    }

    /** SHA-256 of a split's "id TAB label" lines, sorted: which images, with which labels. */
    static String imagesDigest(List<KermanyRecord> records) {
        StringBuilder sb = new StringBuilder();
        records.stream().map(r -> ImageIds.of(r.image()) + "\t" + r.label()).sorted()
                .forEach(line -> sb.append(line).append('\n'));
        return org.pneumolab.io.Digests.sha256Hex(sb.toString());
    }

    /** The folder of a run of {@code spec} under {@code studyDir}: a stem from its model and class weights, then its identity. */
    static Path dir(Path studyDir, String spec, ClassWeights weights) {
        String model = new JsonParser().parse(spec).getAsJsonObject().get("model").getAsString();
        String stem = KermanyStudy.folderName(model + " w" + weights.normal() + "-" + weights.pneumonia());
        return studyDir.resolve(RunIdentity.folderName(stem, spec));
    }

    /**
     * Writes (or refreshes) a run's folder; the model in {@code run} has its kept weights.
     *
     * @param fitted what the trainer kept (epoch, rule, value, note) and who trained it: the one
     *               source of {@code kept.json} and of {@code run.json}'s kept epoch and provenance
     */
    static Path write(Path dir, String spec, ModelRun run, TransferModel.Fitted fitted,
                      StudyConfig config, List<KermanyRecord> valRecords, JsonObject study, JsonObject studyDefaults)
            throws IOException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve(SPEC_FILE);
        if (Files.isRegularFile(cfg) && !Files.readString(cfg).trim().equals(spec)) {
            throw new IllegalStateException(cfg + ": the folder holds another run's spec (its name is that spec's identity;"
                    + " was config.json edited by hand?)");
        }
        AtomicFiles.writeString(cfg, spec + "\n");
        Path runJson = dir.resolve(RUN);
        JsonObject before = null;
        if (Files.isRegularFile(runJson)) {
            try {
                before = new JsonParser().parse(Files.readString(runJson)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new IOException(runJson + ": unreadable (" + e.getMessage() + "); delete the folder to retrain", e);
            }
        }
        int keptEpoch = fitted.keptEpoch();
        // the kept model is already there when the run was reused with the same kept epoch
        boolean keep = fitted.reused() && before != null && before.has("keptEpoch") && before.get("keptEpoch").isJsonPrimitive()
                && before.get("keptEpoch").getAsInt() == keptEpoch && Files.isRegularFile(dir.resolve(SavedClassifier.CONFIG));
        if (!keep) {
            SavedClassifier.save(run.model(), run.name(), config.threshold(),
                    "the study's fixed decision threshold, StudyConfig.threshold; not chosen on validation", dir);
        }
        TrainingHistory h = run.history();
        h.save(dir.resolve(HISTORY));
        int completed = h.size();
        JsonObject kept = new JsonObject();
        kept.addProperty("epoch", keptEpoch);
        kept.addProperty("weights", SavedClassifier.CONFIG);
        kept.addProperty("rule", fitted.keptRule());
        kept.addProperty("metric", SELECT_BY);
        JsonNumbers.put(kept, "value", fitted.keptValue(), "the validation ROC AUC was undefined at every epoch");
        kept.addProperty("completedEpochs", completed);
        kept.addProperty("note", fitted.keptNote());
        kept.addProperty("headParamsSha256", TransferModel.paramsDigest(run.model().head().params()));
        AtomicFiles.writeString(dir.resolve(KEPT), PRETTY.toJson(JsonNumbers.requireFinite(kept)) + "\n");

        Bootstrap bootstrap = Bootstrap.seeded(config.seed()).withResamples(config.bootstrapResamples());
        JsonObject eval = new JsonObject();
        eval.addProperty("kind", KIND);
        eval.addProperty("bootstrapSeed", bootstrap.seed());
        eval.addProperty("resamples", bootstrap.resamples());
        eval.addProperty("threshold", run.experiment().report().cm().threshold());
        JsonObject parts = new JsonObject();
        parts.add("val", images(valRecords, run.validation()));
        parts.add("test", images(run.testRecords(), run.test()));
        eval.add("parts", parts);
        AtomicFiles.writeString(dir.resolve(EVALUATION), SPEC.toJson(JsonNumbers.requireFinite(eval)) + "\n");

        JsonObject o = new JsonObject();
        o.addProperty("kind", KIND);
        o.addProperty("model", dir.getFileName().toString());
        o.addProperty("label", run.name());
        o.addProperty("identity", RunIdentity.of(spec));
        o.add("study", study);
        o.add("studyDefaults", studyDefaults);
        o.addProperty("keptEpoch", keptEpoch);
        o.addProperty("keptNote", fitted.keptNote());
        o.addProperty("completedEpochs", completed);
        o.add("val", metric("val", run.validation()));
        o.add("test", metric("test", run.test()));
        // from the checkpoint when reused: the training that made the weights, in whichever study folder it ran
        TransferModel.Trained t = fitted.trained();
        JsonNumbers.put(o, "trainingSeconds", t.seconds(), TransferModel.Trained.SECONDS_UNDEFINED);
        o.addProperty("trainedAt", t.at());
        o.addProperty("commit", t.commit());
        o.addProperty("machine", t.machine());
        AtomicFiles.writeString(runJson, PRETTY.toJson(JsonNumbers.requireFinite(o)) + "\n");
        return dir;
    }

    /** A split's images in the study's (the bootstrap's) order: id, label, P(pneumonia). */
    private static JsonArray images(List<KermanyRecord> records, Predictions p) {
        if (records.size() != p.size()) {
            throw new IllegalArgumentException(p.split() + ": " + p.size() + " scores for " + records.size() + " images");
        }
        JsonArray out = new JsonArray();
        for (int i = 0; i < records.size(); i++) {
            JsonObject img = new JsonObject();
            img.addProperty("id", ImageIds.of(records.get(i).image()));
            img.addProperty("label", p.labels()[i]);
            img.addProperty("p", p.scores()[i]);
            out.add(img);
        }
        return out;
    }

    private static JsonObject metric(String split, Predictions p) {
        JsonObject m = new JsonObject();
        m.addProperty("split", split);
        m.addProperty("n", p.size());
        JsonNumbers.put(m, "rocAuc", org.pneumolab.metrics.BinaryMetrics.rocAuc(p.scores(), p.labels()),
                "the split has one class only");
        return m;
    }

    static JsonObject classWeights(ClassWeights w) {
        JsonObject cw = new JsonObject();
        cw.addProperty("normal", w.normal());
        cw.addProperty("pneumonia", w.pneumonia());
        return cw;
    }

    /**
     * The study's knobs, and a run's class weights, by name (for "what differs from the study's
     * defaults"): every component of {@link StudyConfig}, read by reflection so a new knob is
     * listed without a change here; a layer choice by its feature vertex, an enum by its name.
     */
    static JsonObject studyJson(StudyConfig c, ClassWeights w) {
        JsonObject o = new JsonObject();
        for (java.lang.reflect.RecordComponent rc : StudyConfig.class.getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(c);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("StudyConfig." + rc.getName() + ": " + e.getMessage(), e);
            }
            if (v instanceof Number n) {
                o.addProperty(rc.getName(), n);
            } else if (v instanceof Boolean bo) {
                o.addProperty(rc.getName(), bo);
            } else if (v instanceof Enum<?> en) {
                o.addProperty(rc.getName(), en.name());
            } else if (v instanceof FeatureLayer l) {
                o.addProperty(rc.getName(), l.features());
            } else {
                o.addProperty(rc.getName(), String.valueOf(v));
            }
        }
        o.add("classWeights", classWeights(w));
        JsonNumbers.requireFinite(o);
        return o;
    }
}
