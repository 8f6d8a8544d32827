package org.pneumolab.classify.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.DataIdentity;
import org.pneumolab.classify.FeatureCache;
import org.pneumolab.classify.FeatureKey;
import org.pneumolab.classify.FeatureSet;
import org.pneumolab.classify.Featurizer;
import org.pneumolab.classify.FineTuner;
import org.pneumolab.classify.Predictions;
import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.io.Digests;
import org.pneumolab.metrics.BinaryMetrics;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.Experiment;
import org.pneumolab.train.TrainingHistory;

/**
 * The Kermany case study as a few calls, so notebooks 02 and 03 stay thin: data
 * ({@link StudyData}), bases at the profile's input sizes, bottleneck features computed once
 * per (model, layer, split) through a {@link FeatureCache} shared by notebooks and re-runs, the
 * published head trained on them, stage-2 fine-tuning, and test-split evaluation with bootstrap
 * intervals. Each step's wall time is kept in {@link #timings()}.
 */
public final class KermanyStudy {
    private final StudyConfig config;
    private final StudyData data;
    private final FeatureCache cache;
    private final StepTimes timings = new StepTimes();
    private Backbone vgg16;
    private Backbone inception;
    /**
     * Stage-1 runs by base and class weights: a head is a pure function of (features, weights,
     * config), so asking again (notebook 03's sweep includes two weightings it trained first)
     * returns the same run instead of the same numbers ten seconds later. A reused run shares its
     * TransferModel: fine-tune through {@link #fineTune}, which works on a copy, not on the run's
     * model directly.
     */
    private final java.util.Map<Backbone, java.util.Map<ClassWeights, ModelRun>> heads = new java.util.IdentityHashMap<>();

    /** Which initial weights the bases get (the notebooks' WEIGHTS knob). */
    private final org.pneumolab.weights.WeightsChoice weights;

    private KermanyStudy(StudyConfig config, StudyData data, org.pneumolab.weights.WeightsChoice weights,
                         long featureChunkBytes) {
        this.config = config;
        this.data = data;
        this.weights = weights;
        this.cache = new FeatureCache(data.featureCacheDir(), featureChunkBytes);
    }

    /** Data from {@link DataConfig#load()} (real when configured, else the sample); the profile's weights choice. */
    public static KermanyStudy open(StudyConfig config) throws IOException {
        return open(config, org.pneumolab.weights.WeightsChoice.forProfile(config.profile()));
    }

    /**
     * As above with the weights knob: IMAGENET (the paper profile's default) stops here, before
     * any data is read or anything trained, with one message when a base's weights are missing
     * or bad; RANDOM starts from random weights on purpose.
     */
    public static KermanyStudy open(StudyConfig config, org.pneumolab.weights.WeightsChoice weights) throws IOException {
        return open(config, DataConfig.load(), ProblemLog.toStderr(), weights);
    }

    public static KermanyStudy open(StudyConfig config, DataConfig dataConfig, ProblemLog log) throws IOException {
        return open(config, dataConfig, log, org.pneumolab.weights.WeightsChoice.forProfile(config.profile()));
    }

    public static KermanyStudy open(StudyConfig config, DataConfig dataConfig, ProblemLog log,
                                    org.pneumolab.weights.WeightsChoice weights) throws IOException {
        return open(config, dataConfig, log, weights, FeatureCache.DEFAULT_CHUNK_BYTES);
    }

    /**
     * As above with the feature cache's chunk size ({@link FeatureCache#FeatureCache(Path, long)}):
     * tests pass a small one so a sample's few images still go through several chunks.
     */
    static KermanyStudy open(StudyConfig config, DataConfig dataConfig, ProblemLog log,
                             org.pneumolab.weights.WeightsChoice weights, long featureChunkBytes) throws IOException {
        requireWeights(weights);
        long t0 = System.nanoTime();
        StudyData data = StudyData.load(dataConfig, config, log);
        KermanyStudy s = new KermanyStudy(config, data, weights, featureChunkBytes);
        s.timings.record("load and re-split Kermany", t0);
        return s;
    }

    /**
     * Both bases' files under {@code weights}: Keras's VGG16 (or the zoo's VGG16 zip, its second
     * source, already on disk) and InceptionV3 (Keras's file only; the zoo has none).
     */
    public static void requireWeights(org.pneumolab.weights.WeightsChoice weights) throws IOException {
        List<org.pneumolab.weights.KerasFile> files = new java.util.ArrayList<>(List.of(
                org.pneumolab.weights.KerasFile.VGG16, org.pneumolab.weights.KerasFile.INCEPTION_V3));
        if (java.nio.file.Files.isRegularFile(org.pneumolab.weights.ZooFile.VGG16_IMAGENET.localFile())) {
            files.remove(org.pneumolab.weights.KerasFile.VGG16);
        }
        org.pneumolab.weights.ImagenetWeights.require(weights, org.pneumolab.weights.WeightStore.standard(), files);
    }

    public org.pneumolab.weights.WeightsChoice weightsChoice() {
        return weights;
    }

    public StudyConfig config() {
        return config;
    }

    public StudyData data() {
        return data;
    }

    public StepTimes timings() {
        return timings;
    }

    /**
     * VGG16 at the profile's size (ImageNet weights when available, else random init; see its
     * WeightsSource), cut at the config's VGG16 layer.
     */
    public synchronized Backbone vgg16() {
        if (vgg16 == null) {
            long t0 = System.nanoTime();
            vgg16 = vgg16Base()
                    .cutAt(config.vggLayer().features(), config.vggLayer().gradCam());
            timings.record("build VGG16 base", t0);
        }
        return vgg16;
    }

    private Backbone vgg16Base() {
        try {
            return Backbones.vgg16(config.vggSize(), config.seed(), weights, org.pneumolab.weights.WeightStore.standard());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** InceptionV3 at the profile's size, cut at the config's InceptionV3 layer. */
    public synchronized Backbone inceptionV3() throws IOException {
        if (inception == null) {
            long t0 = System.nanoTime();
            inception = Backbones.inceptionV3(config.inceptionSize(), config.seed(), weights,
                            org.pneumolab.weights.WeightStore.standard())
                    .cutAt(config.inceptionLayer().features(), config.inceptionLayer().gradCam());
            timings.record("build InceptionV3 base", t0);
        }
        return inception;
    }

    /**
     * A base's activations at {@code vertex} for a split: read from the feature cache, or
     * computed once (base in inference mode) and stored atomically; an interrupted pass resumes
     * from its last finished chunk ({@link FeatureCache#getOrExtract}).
     */
    public FeatureSet features(Backbone backbone, String vertex, String split) throws IOException {
        List<KermanyRecord> records = data.readable(split, backbone.inputSize());
        FeatureKey key = featureKey(backbone, vertex, split);
        String from = derivedFrom(backbone, vertex);
        if (from != null) {
            // VGG16's block5_pool for the head: block5_conv3 and the pool run on the cached
            // block5_conv2 activations that fine-tuning needs anyway, instead of a second pass of
            // the whole base over every image (the same layers on the same values:
            // InferenceGraph#after). Cached under block5_pool's own key like a direct pass.
            // The block5_conv2 features are read (or computed) only on a miss: a study that finds
            // block5_pool cached and only trains heads never loads them (about 1 GB at paper size).
            long t0 = System.nanoTime();
            long[] deriveStart = {0};
            FeatureSet f = cache.getOrCompute(key, () -> {
                FeatureSet frozen = features(backbone, from, split);  // a step of its own in timings()
                deriveStart[0] = System.nanoTime();
                return derive(backbone, from, frozen);
            });
            boolean derived = deriveStart[0] != 0;
            timings.record((derived ? "from cached " + from + " " : "features (cache hit) ") + backbone.name() + " "
                    + vertex + " " + split, derived ? deriveStart[0] : t0);
            return f;
        }
        boolean hit = java.nio.file.Files.isRegularFile(cache.fileFor(key));
        long t0 = System.nanoTime();
        // Chunk by chunk: an interrupted pass goes on from its last finished chunk when asked again.
        FeatureSet f = cache.getOrExtract(key, new Featurizer(backbone, vertex), new FeatureCache.Images() {
            public int size() {
                return records.size();
            }

            public int batchSize() {
                return config.batchSize();
            }

            public org.nd4j.linalg.dataset.api.iterator.DataSetIterator range(int from, int to) {
                return data.iterator(split, backbone.inputSize(), config.batchSize(), from, to);
            }
        }, split);
        if (f.size() != records.size()) {
            throw new IOException(cache.fileFor(key) + ": " + f.size() + " feature rows for " + records.size()
                    + " readable " + split + " images (an image failed after the decode check)");
        }
        timings.record((hit ? "features (cache hit) " : "featurize ") + backbone.name() + " " + vertex + " " + split, t0);
        return f;
    }

    /**
     * The vertex whose cached activations {@code vertex}'s features are computed from, or null
     * when they come from the images: the study's VGG16 output is computed from the activations
     * its fine-tuning caches (the input of {@link StudyConfig#vggFineTuneLayer()}).
     */
    private String derivedFrom(Backbone backbone, String vertex) {
        if (backbone != vgg16 || !vertex.equals(backbone.outputVertex()) || config.fineTuneEpochs() < 1) {
            return null;
        }
        // only when the fine-tuned layer is the output or next to it (block5_conv3 before
        // block5_pool): a layer further down would cache far larger activations than it saves
        var inputs = backbone.graph().getConfiguration().getVertexInputs();
        String v = vertex;
        for (int i = 0; i < 2 && !v.equals(config.vggFineTuneLayer()); i++) {
            List<String> in = inputs.get(v);
            if (in == null || in.size() != 1) {
                return null;
            }
            v = in.get(0);
        }
        List<String> in = inputs.get(config.vggFineTuneLayer());
        return !v.equals(config.vggFineTuneLayer()) || in == null || in.size() != 1 ? null : in.get(0);
    }

    /** How a base's features at {@code vertex} are computed, in words (the rehearsal's note). */
    public String featureSource(Backbone backbone, String vertex) {
        String from = derivedFrom(backbone, vertex);
        return from == null ? "featurized from the images"
                : "computed from the cached " + from + " activations (the layers after it run on the cache; no second pass)";
    }

    /** The base's output for cached {@code from} activations, batch by batch as the pass that made them. */
    private FeatureSet derive(Backbone backbone, String from, FeatureSet frozen) {
        org.pneumolab.classify.InferenceGraph tail = org.pneumolab.classify.InferenceGraph.after(backbone, from);
        int n = frozen.size();
        int b = config.batchSize();
        List<org.nd4j.linalg.api.ndarray.INDArray> out = new java.util.ArrayList<>();
        for (int start = 0; start < n; start += b) {
            var rows = frozen.features().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, Math.min(n, start + b)));
            out.add(tail.output(rows));
        }
        return new FeatureSet(org.nd4j.linalg.factory.Nd4j.concat(0, out.toArray(org.nd4j.linalg.api.ndarray.INDArray[]::new)),
                frozen.labels());
    }

    /** Where a stage-1 head of this base, weighting and seed keeps its per-epoch checkpoint, keyed by its data. */
    private TransferModel.Checkpoint headCheckpoint(Backbone backbone, ClassWeights classWeights, long seed)
            throws IOException {
        String dataKey = "train " + featureKey(backbone, backbone.outputVertex(), "train").text()
                + "|val " + featureKey(backbone, backbone.outputVertex(), "val").text();
        // the head's native thread count is in its checkpoint's key (TransferModel.fitHead), and so in
        // the file's name: a run at another count neither overwrites this one nor reads as its resume
        return new TransferModel.Checkpoint(data.headCheckpointDir().resolve(
                Digests.sha256Hex(dataKey + "|" + classWeights + "|" + seed + "|head threads "
                        + org.pneumolab.runtime.NativeThreads.smallStepCount()).substring(0, 32) + ".head"), dataKey);
    }

    /** Where a fine-tuning of {@code stage1} keeps its per-epoch checkpoint, keyed by its data and the stage-1 weights. */
    private TransferModel.Checkpoint fineTuneCheckpoint(ModelRun stage1, String frozenOutput, String firstTrainable,
                                                        int epochs, double learningRate) throws IOException {
        Backbone b = stage1.model().backbone();
        String dataKey = "train " + featureKey(b, frozenOutput, "train").text()
                + "|val " + featureKey(b, frozenOutput, "val").text();
        return new TransferModel.Checkpoint(data.headCheckpointDir().resolve(
                Digests.sha256Hex(dataKey + "|" + firstTrainable + "|" + epochs + "|" + learningRate + "|"
                        + stage1.trainingSeed() + "|" + stage1.classWeights() + "|"
                        + TransferModel.paramsDigest(stage1.model().head().params())).substring(0, 32) + ".finetune"),
                dataKey);
    }

    /**
     * True when an earlier run left work for these features: the cache file or a partial pass.
     * (The rehearsal keeps such a stage's time out of its extrapolation.)
     */
    public boolean featuresStarted(Backbone backbone, String vertex, String split) throws IOException {
        FeatureKey key = featureKey(backbone, vertex, split);
        return java.nio.file.Files.exists(cache.fileFor(key)) || java.nio.file.Files.exists(cache.partialDirFor(key));
    }

    /** True when an earlier run left a checkpoint of this stage-1 head (the config's seed). */
    public boolean headStarted(Backbone backbone, ClassWeights classWeights) throws IOException {
        return java.nio.file.Files.exists(headCheckpoint(backbone, classWeights, config.seed()).file());
    }

    /** True when an earlier run left a checkpoint of {@link #fineTune(String, ModelRun)} of this stage-1 run. */
    public boolean fineTuneStarted(ModelRun stage1) throws IOException {
        String frozen = stage1.model().backbone().graph().getConfiguration().getVertexInputs()
                .get(config.vggFineTuneLayer()).get(0);
        return java.nio.file.Files.exists(fineTuneCheckpoint(stage1, frozen, config.vggFineTuneLayer(),
                config.fineTuneEpochs(), config.fineTuneLearningRate()).file());
    }

    /** Everything that decides a split's features at a base's vertex (the feature cache's key). */
    private FeatureKey featureKey(Backbone backbone, String vertex, String split) throws IOException {
        return FeatureKey.of(backbone, vertex, identity(data.readable(split, backbone.inputSize()), backbone.inputSize()));
    }

    /** The files, and the decode-and-resize recipe, that decide the features. */
    private DataIdentity identity(List<KermanyRecord> records, int size) throws IOException {
        DataIdentity files = DataIdentity.ofFiles(records.stream().map(KermanyRecord::image).toList());
        String recipe = data.pipeline(size).spec().resizeKey();
        return new DataIdentity(Digests.sha256Hex(files.digest() + "|" + recipe), files.description() + ", " + recipe);
    }

    /**
     * Stage 1: the published study's head on the frozen base's bottleneck features, with a
     * TrainingMonitor; then scored on val and test and evaluated on test.
     */
    public synchronized ModelRun trainHead(String name, Backbone backbone, ClassWeights classWeights)
            throws IOException {
        ModelRun done = heads.computeIfAbsent(backbone, b -> new java.util.HashMap<>()).get(classWeights);
        if (done != null) {
            timings.record("head " + name + " (already trained in this study, reused)", System.nanoTime());
            return done.name().equals(name) ? done : done.renamed(name);
        }
        ModelRun run = trainHead(name, backbone, classWeights, config.seed());
        heads.get(backbone).put(classWeights, run);
        return run;
    }

    /** The k-th training seed of a study (k = 0 is the config's own). */
    public long trainingSeed(int k) {
        return config.seed() + 1_000L * k;
    }

    /**
     * K training seeds of one model: the run itself (seed k = 0) and K - 1 more heads (fine-tuned
     * again when {@code run} is a fine-tuned run, i.e. {@code stage1Of} is given) trained with
     * {@link #trainingSeed}(k) on the same features. The base stays the study's: on the paper
     * profile it is ImageNet's, so only the head's initialisation and shuffling are luck.
     */
    public List<ModelRun> seeds(ModelRun run, ModelRun stage1Of, int k) throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("K training seeds must be >= 1, got " + k);
        }
        List<ModelRun> out = new java.util.ArrayList<>(List.of(run));
        for (int i = 1; i < k; i++) {
            long seed = trainingSeed(i);
            ModelRun head = trainHead(stage1Of == null ? run.name() : stage1Of.name(),
                    (stage1Of == null ? run : stage1Of).model().backbone(), run.classWeights(), seed);
            out.add(stage1Of == null ? head : fineTune(run.name(), head, config.vggFineTuneLayer(),
                    config.fineTuneEpochs(), config.fineTuneLearningRate()));
        }
        return out;
    }

    /** One test metric ({@link BinaryMetrics#NAMES}) of a model over its training seeds. */
    public static org.pneumolab.metrics.SeedSpread spread(List<ModelRun> runs, String metric) {
        return new org.pneumolab.metrics.SeedSpread(metric + " (test)", runs.stream().map(ModelRun::trainingSeed).toList(),
                runs.stream().mapToDouble(r -> r.experiment().report().metric(metric).value()).toArray());
    }

    private ModelRun trainHead(String name, Backbone backbone, ClassWeights classWeights, long seed)
            throws IOException {
        FeatureSet train = features(backbone, backbone.outputVertex(), "train");
        FeatureSet val = features(backbone, backbone.outputVertex(), "val");
        FeatureSet test = features(backbone, backbone.outputVertex(), "test");
        TransferModel model = TransferModel.create(backbone, classWeights, config.headLearningRate(),
                config.featureScaling(), seed);
        // the run's spec, from the untrained head (training changes its configuration's step counts)
        String spec = ClassifierRuns.spec(config, data, backbone, weightsId(backbone), backbone.outputVertex(), model,
                ClassifierRuns.Trainee.of(model.head().getConfiguration()),
                new ClassifierRuns.Training(config.headLearningRate(), config.epochs(), config.batchSize(), seed, seed), null);
        // Checkpointed per epoch: a rerun after an interrupt resumes it, a finished one is not retrained.
        TransferModel.Checkpoint checkpoint = headCheckpoint(backbone, classWeights, seed);
        long t0 = System.nanoTime();
        TrainingHistory h = model.fitHead(train, val,
                new TransferModel.Fit(config.epochs(), config.batchSize(), seed), checkpoint);
        timings.record("train head " + name + " (" + config.epochs() + " epochs, seed " + seed + ")", t0);
        ModelRun run = evaluate(name, model, backbone.weights(), h, model.predict("val", val),
                model.predict("test", test), backbone.inputSize(), backbone.outputVertex(), model.keptNote(), seed);
        writeRun(spec, run, model.fitted(), backbone.inputSize());
        return run;
    }

    /** Run folders by model (a renamed run shares its model, and its folder). */
    private final java.util.Map<TransferModel, Path> runDirs = new java.util.IdentityHashMap<>();

    /**
     * The folder of this study's runs ({@link ClassifierRuns}) under the runs root:
     * {@code kermany-<profile>-seed<N>-<digest of the config>}; {@code org.pneumolab.runs.Runs.table}
     * lists them.
     */
    public Path runsDir() {
        String study = "kermany-" + config.profile().name().toLowerCase(java.util.Locale.ROOT) + "-seed" + config.seed()
                + "-" + Digests.sha256Hex(config.toString()).substring(0, 8);
        return data.dataConfig().runsRoot().resolve(study);
    }

    /** A trained run's folder ({@link ClassifierRuns}): spec, kept model, history, per-image outputs. */
    public Path runDir(ModelRun run) {
        Path d = runDirs.get(run.model());
        if (d == null) {
            throw new IllegalArgumentException(run.name() + " was not trained by this study");
        }
        return d;
    }

    /**
     * The network {@code tuner} trains, for the spec. Building it initialises a network, which may
     * draw from ND4J's random stream: the stream is put back, so the fine-tuning draws as it
     * would without the spec.
     */
    private static ClassifierRuns.Trainee trainee(FineTuner tuner, double learningRate) {
        var random = org.nd4j.linalg.factory.Nd4j.getRandom();
        long root = random.rootState();
        long node = random.nodeState();
        try {
            return ClassifierRuns.Trainee.of(tuner.trainingTail(learningRate).getLayerWiseConfigurations());
        } finally {
            random.setStates(root, node);
        }
    }

    /** Weights ids by base: a digest of a pretrained base's parameters is computed once per base. */
    private final java.util.Map<Backbone, String> weightsIds = new java.util.IdentityHashMap<>();

    /**
     * Which weights a base has, for a run's spec, independent of where they were read from: a
     * digest of a pretrained base's parameters (the same file anywhere gives the same digest), or
     * "random init, seed N" (the study builds its bases with the config's seed).
     */
    private synchronized String weightsId(Backbone b) {
        return weightsIds.computeIfAbsent(b, x -> x.weights().pretrained()
                ? "parameters sha256 " + TransferModel.paramsDigest(x.graph().params())
                : "random init, seed " + config.seed());
    }

    private void writeRun(String spec, ModelRun run, TransferModel.Fitted fitted, int size) throws IOException {
        Path dir = ClassifierRuns.dir(runsDir(), spec, run.classWeights());
        ClassifierRuns.write(dir, spec, run, fitted, config,
                data.readable("val", size), ClassifierRuns.studyJson(config, run.classWeights()),
                ClassifierRuns.studyJson(StudyConfig.forProfile(config.profile(), config.seed()),
                        org.pneumolab.classify.ClassWeights.none()));
        runDirs.put(run.model(), dir);
    }

    /**
     * Stage 2 on a copy of the stage-1 model (the stage-1 run stays as it was): the config's
     * VGG16 fine-tuning layer (PAPER: block5_conv3) unfrozen with the head, from the stage-1
     * weights, on cached activations of the layer before it.
     */
    public ModelRun fineTune(String name, ModelRun stage1) throws IOException {
        return fineTune(name, stage1, config.vggFineTuneLayer(), config.fineTuneEpochs(), config.fineTuneLearningRate());
    }

    /**
     * As {@link #fineTune(String, ModelRun)} from any single-input base layer on the chain
     * before the base output (VGG16: block5_conv1 trains all of block 5).
     */
    public ModelRun fineTune(String name, ModelRun stage1, String firstTrainable, int epochs, double learningRate)
            throws IOException {
        Backbone b = stage1.model().backbone();
        Backbone copy = new Backbone(b.name(), b.graph().clone(), b.outputVertex(), b.inputSize(), b.weights(),
                b.preprocessing(), b.gradCamLayer());
        long seed = stage1.trainingSeed();
        TransferModel model = TransferModel.create(copy, stage1.classWeights(), config.headLearningRate(),
                stage1.model().featureScaling(), seed);
        model.head().setParams(stage1.model().head().params().dup());
        FineTuner tuner = new FineTuner(model, firstTrainable);
        com.google.gson.JsonObject fine = new com.google.gson.JsonObject();
        fine.addProperty("firstTrainable", firstTrainable);
        fine.addProperty("stage1", org.pneumolab.train.RunIdentity.of(
                java.nio.file.Files.readString(runDir(stage1).resolve(ClassifierRuns.SPEC_FILE)).trim()));
        // the network fine-tuning trains (the unfrozen layers and the head), as fineTune builds it
        String spec = ClassifierRuns.spec(config, data, b, weightsId(b), tuner.frozenOutput(), model,
                trainee(tuner, learningRate),
                new ClassifierRuns.Training(learningRate, Math.max(1, epochs), config.batchSize(), seed, seed + 1), fine);
        // The cached activations are of the frozen layers, identical for the copy and the original.
        FeatureSet train = features(copy, tuner.frozenOutput(), "train");
        FeatureSet val = features(copy, tuner.frozenOutput(), "val");
        FeatureSet test = features(copy, tuner.frozenOutput(), "test");
        // Checkpointed per epoch like the heads: keyed by the data, the stage-1 weights and the settings.
        TransferModel.Checkpoint checkpoint = fineTuneCheckpoint(stage1, tuner.frozenOutput(), firstTrainable, epochs,
                learningRate);
        long t0 = System.nanoTime();
        TrainingHistory h = tuner.fineTune(train, val,
                new TransferModel.Fit(Math.max(1, epochs), config.batchSize(), seed + 1), learningRate, checkpoint);
        timings.record("fine-tune from " + firstTrainable + " " + name + " (" + epochs + " epochs)", t0);
        ModelRun run = evaluate(name, model, stage1.weights(), h, tuner.predict("val", val), tuner.predict("test", test),
                copy.inputSize(), tuner.frozenOutput(), tuner.keptNote(), seed);
        writeRun(spec, run, tuner.fitted(), copy.inputSize());
        return run;
    }

    private ModelRun evaluate(String name, TransferModel model, org.pneumolab.classify.WeightsSource weights,
                              TrainingHistory h, Predictions val, Predictions test, int size,
                              String frozenThrough, String keptNote, long seed) {
        Experiment e = BinaryMetrics.experiment(name, "test", test.scores(), test.labels(), config.threshold(),
                bootstrap());
        return new ModelRun(name, model, weights, model.classWeights(), h, val, test,
                data.readable("test", size), e, frozenThrough, keptNote, seed);
    }

    /**
     * The run folder of a trained model of this study ({@link #runDir}), which
     * {@code pneumo predict --run} applies to new images ({@link SavedClassifier}: the kept
     * model) under the name it was first trained with (a head reused within the study under
     * another name is the same run, and its {@code classifier.json} and {@code run.json} keep
     * agreeing). The folder's name ends with the run's identity, so runs of
     * another configuration never overwrite it. The threshold is the study's fixed
     * {@link StudyConfig#threshold()}; the study does not choose one on validation, and the
     * folder says so.
     *
     * @return the run folder
     */
    public Path save(ModelRun run) throws IOException {
        // every run of this study is already a folder predict applies (its kept model) under the
        // name its run.json records; a head reused under another name keeps its first name in both
        // files (renaming one would make classifier.json and run.json disagree)
        return runDir(run);
    }

    /** As {@link #save(ModelRun)} into {@code dir}. */
    public Path save(ModelRun run, Path dir) throws IOException {
        return SavedClassifier.save(run.model(), run.name(), config.threshold(),
                "the study's fixed decision threshold, StudyConfig.threshold; not chosen on validation", dir);
    }

    /** A model name as a folder name: lower case, runs of anything but letters, digits, '.', '_' as one '-'. */
    static String folderName(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "model" : s;
    }

    /** The study's bootstrap: its seed, its resamples, 95%. */
    public Bootstrap bootstrap() {
        return Bootstrap.seeded(config.seed()).withResamples(config.bootstrapResamples());
    }

    /** One plain sentence per base: ImageNet or random init, and why. */
    public static String weightsNotice(Backbone b) {
        return b.weights().pretrained()
                ? b.name() + ": ImageNet weights (" + b.weights().detail() + ")"
                : b.name() + ": NO ImageNet weights here, RANDOM INIT. Results below are not the published study's transfer"
                + " learning; they show the pipeline works. (" + b.weights().detail() + ")";
    }

    public Path featureCacheDir() {
        return data.featureCacheDir();
    }
}
