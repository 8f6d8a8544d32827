package org.pneumolab.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pneumolab.notebook.TrainingMonitor;
import org.pneumolab.train.TrainingHistory;

/**
 * The published study's transfer-learning model: a frozen {@link Backbone} and the {@link Head} trained on
 * its cached bottleneck features. Stage 1 trains the head ({@link #fitHead}); stage 2
 * ({@link FineTuner}) unfreezes one base layer. The base only ever runs in inference mode, so
 * featurizing once is exactly equivalent to running it every epoch as Keras does.
 */
public final class TransferModel {
    /** The published study's stage-1 learning rate (RMSprop). */
    public static final double HEAD_LEARNING_RATE = 1e-4;

    private final Backbone backbone;
    private final ClassWeights classWeights;
    private final ComputationGraph head;
    private final long seed;

    private TransferModel(Backbone backbone, ClassWeights classWeights, ComputationGraph head, long seed) {
        this.backbone = backbone;
        this.classWeights = classWeights;
        this.head = head;
        this.seed = seed;
    }

    public static TransferModel create(Backbone backbone, ClassWeights classWeights, long seed) {
        return create(backbone, classWeights, HEAD_LEARNING_RATE, seed);
    }

    public static TransferModel create(Backbone backbone, ClassWeights classWeights, double learningRate, long seed) {
        return create(backbone, classWeights, learningRate, FeatureScaling.NONE, seed);
    }

    /**
     * @param scaling {@link FeatureScaling#STANDARDIZE} puts a frozen standardising layer first in
     *                the head; {@link #fitHead} sets it from the training features it is given
     */
    public static TransferModel create(Backbone backbone, ClassWeights classWeights, double learningRate,
                                       FeatureScaling scaling, long seed) {
        long[] shape = backbone.activationShape(backbone.outputVertex());
        return new TransferModel(backbone, classWeights, Head.graph(shape, classWeights, learningRate, scaling, seed),
                seed);
    }

    /**
     * A model from a base and an already trained head graph (a {@link SavedClassifier} read back):
     * nothing is initialised or trained, the head's weights are used as they are.
     */
    static TransferModel restore(Backbone backbone, ClassWeights classWeights, ComputationGraph head, long seed) {
        return new TransferModel(backbone, classWeights, head, seed);
    }

    public Backbone backbone() {
        return backbone;
    }

    public ClassWeights classWeights() {
        return classWeights;
    }

    /** The head graph; input "features" = the base's output activation. */
    public ComputationGraph head() {
        return head;
    }

    public long seed() {
        return seed;
    }

    public FeatureScaling featureScaling() {
        return Head.scaling(head);
    }

    /** Options for a head-training run. */
    public record Fit(int epochs, int batchSize, long shuffleSeed) {
        public Fit {
            if (epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs and batchSize must be >= 1");
            }
        }
    }

    /**
     * Stage 1: trains the head on cached features; reports train_loss, val_loss and val_auc per
     * epoch to a {@link TrainingMonitor} and returns the history. Batches are shuffled with
     * {@code fit.shuffleSeed()} so the same seed gives the same weights. A standardising head
     * first takes its statistics from {@code train} (never from validation or test).
     */
    public TrainingHistory fitHead(FeatureSet train, FeatureSet validation, Fit fit) {
        return fitHead(train, validation, fit, null);
    }

    /**
     * Where a head fit keeps its per-epoch checkpoint, and the identity of the data it trains and
     * validates on (e.g. the feature caches' keys): with the head's configuration, initial weights
     * and the {@link Fit}, the key a checkpoint must match to be resumed.
     */
    public record Checkpoint(java.nio.file.Path file, String dataKey) {
    }

    /**
     * Part of every head checkpoint's key: raise it when the training loop or the kept-epoch rule
     * changes what a fit ends with, so checkpoints of the old code are not resumed or reused.
     */
    static final int CHECKPOINT_VERSION = 1;

    /**
     * As {@link #fitHead(FeatureSet, FeatureSet, Fit)}, saving the fit's state after every epoch to
     * {@code checkpoint} (null: none): a rerun after an interrupt resumes from the last finished
     * epoch ("resumed from epoch K of N") and ends with the weights of an uninterrupted fit; a
     * finished fit with the same key is not trained again.
     */
    public TrainingHistory fitHead(FeatureSet train, FeatureSet validation, Fit fit, Checkpoint checkpoint) {
        if (featureScaling() == FeatureScaling.STANDARDIZE) {
            Head.standardizeWith(head, FeatureStatistics.of(train.features()));
        }
        // The native thread count orders the floating-point sums, so it is part of the key: a
        // checkpoint of a fit at another count is not resumed into this one (nor reused).
        HeadCheckpoint saved = checkpointFor("head at " + org.pneumolab.runtime.NativeThreads.smallStepCount()
                + " native thread(s)", checkpoint, fit, head.params(), head.getConfiguration().toJson());
        Fitted f = fitKeepingBest(new HeadStep(head), train, validation, fit,
                backbone.name() + " head (" + classWeights + ")", saved);
        fitted = f;
        return f.history();
    }

    private Fitted fitted;

    /** What {@link #fitHead} kept, and who trained it (null before it ran). */
    public Fitted fitted() {
        return fitted;
    }

    /**
     * Whether {@link #fitHead} handed out a finished checkpoint's weights instead of training (its
     * run folder keeps the commit, machine and time of the training that made them).
     */
    public boolean reused() {
        return fitted != null && fitted.reused();
    }

    /** The epoch whose head weights the model has after {@link #fitHead} (best validation ROC AUC). */
    public int keptEpoch() {
        return fitted == null ? 0 : fitted.keptEpoch();
    }

    /** Which epoch {@link #fitHead} kept and why, in words. */
    public String keptNote() {
        return fitted == null ? "not trained yet" : fitted.keptNote();
    }

    /**
     * What a fit kept, the one source of every record of it (a run folder's {@code kept.json} and
     * {@code run.json}): the history of every epoch, the epoch whose weights the network has now,
     * by which rule ({@link #BEST} or {@link #LAST}, {@link org.pneumolab.train.BestEpoch}) with
     * the metric's value there (NaN under {@link #LAST}) and why in words; {@code reused} when a
     * finished checkpoint was read instead of training; {@code trained}: when, where and how long
     * the training that made these weights ran (kept in the checkpoint, so a reuse reports it).
     */
    public record Fitted(TrainingHistory history, int keptEpoch, String keptRule, double keptValue, String keptNote,
                         boolean reused, Trained trained) {
    }

    /** {@link Fitted#keptRule()}: the epoch with the best validation metric. */
    public static final String BEST = "best";
    /** {@link Fitted#keptRule()}: the last epoch (no validation, or its metric undefined at every epoch). */
    public static final String LAST = "last";

    /**
     * Who trained a fit's weights: when it finished (ISO-8601), the commit and machine, and its
     * training wall time in seconds over every resumed part (NaN: not recorded).
     */
    public record Trained(String at, String commit, String machine, double seconds) {
        /** Why {@link #seconds} is NaN, for a JSON file's {@code <key>Undefined}. */
        public static final String SECONDS_UNDEFINED = "its checkpoint was written before checkpoints recorded training time";

        static Trained now(String commit, String machine, double seconds) {
            return new Trained(java.time.Instant.now().toString(), commit, machine, seconds);
        }

        /** A checkpoint of the first format, finished at {@code at} (its file's time), kept no provenance. */
        static Trained unrecorded(String at) {
            String why = "unknown (its checkpoint was written before checkpoints recorded it)";
            return new Trained(at, why, why, Double.NaN);
        }
    }

    /** One trainable network fed with cached activations (the head, or a fine-tuning tail). */
    interface Trainable {
        double fitBatch(DataSet batch);

        /**
         * Whether a training step is many small operations, run at
         * {@link org.pneumolab.runtime.NativeThreads#smallStepCount()} native threads (a head on
         * cached features); otherwise at the process's count (the fine-tuning tail's convolutions).
         * Only the steps: the per-epoch validation pass is one large product either way.
         */
        default boolean smallSteps() {
            return false;
        }

        double loss(DataSet data);

        INDArray probabilities(INDArray features);

        /**
         * {@link #loss(DataSet)} of data whose {@link #probabilities} are already known: by
         * default a second forward pass; a network with a softmax, cross-entropy output computes
         * it from them with DL4J's own loss ({@link #lossFromProbabilities}).
         */
        default double loss(DataSet data, INDArray probabilities) {
            return loss(data);
        }

        INDArray params();

        void setParams(INDArray params);
    }

    /**
     * A trainable whose whole training state can be saved and restored between epochs (with the
     * weights: the optimiser's state and its step and epoch counts), for {@link HeadCheckpoint}.
     */
    interface Resumable extends Trainable {
        /** The optimiser's state (null when it keeps none). */
        INDArray updaterState();

        void setUpdaterState(INDArray state);

        int iterations();

        int epochCount();

        void setCounts(int iterations, int epochCount);
    }

    record HeadStep(ComputationGraph graph) implements Resumable {
        @Override
        public boolean smallSteps() {
            return true; // a head step is many small operations: one native thread is faster (NativeThreads)
        }

        public INDArray updaterState() {
            return graph.getUpdater().getStateViewArray();
        }

        public void setUpdaterState(INDArray state) {
            graph.getUpdater().getStateViewArray().assign(state);
        }

        public int iterations() {
            return graph.getConfiguration().getIterationCount();
        }

        public int epochCount() {
            return graph.getConfiguration().getEpochCount();
        }

        public void setCounts(int iterations, int epochCount) {
            graph.getConfiguration().setIterationCount(iterations);
            graph.getConfiguration().setEpochCount(epochCount);
        }

        public double fitBatch(DataSet batch) {
            graph.fit(batch);
            return graph.score();
        }

        public double loss(DataSet data) {
            return graph.score(data, false);
        }

        public double loss(DataSet data, INDArray probabilities) {
            return lossFromProbabilities(graph.getOutputLayer(0).conf().getLayer(), graph.calcRegularizationScore(true),
                    data, probabilities, () -> loss(data));
        }

        public INDArray probabilities(INDArray features) {
            return graph.outputSingle(false, features);
        }

        public INDArray params() {
            return graph.params();
        }

        public void setParams(INDArray params) {
            graph.setParams(params);
        }
    }

    /**
     * What DL4J's {@code score(data, false)} gives for an inference-mode network whose output
     * layer is {@code output}, from the probabilities that same network output for
     * {@code data}'s features: the score's forward pass computes those very probabilities
     * (softmax of the same pre-activations), so its loss can be taken from them. Bit for bit the
     * score's arithmetic: the softmax clip of {@link LossMCXENT}, then DL4J's own loss on the
     * clipped probabilities (identity activation), divided by the batch, plus the regularization
     * term. Any other output layer or loss: {@code otherwise} (the second pass).
     */
    static double lossFromProbabilities(org.deeplearning4j.nn.conf.layers.Layer output, double regularization, DataSet data,
                                        INDArray probabilities, java.util.function.DoubleSupplier otherwise) {
        if (!(output instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer ol)
                || !(ol.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSoftmax)
                || !(ol.getLossFn() instanceof org.nd4j.linalg.lossfunctions.impl.LossMCXENT loss)
                || data.getLabelsMaskArray() != null) {
            return otherwise.getAsDouble();
        }
        INDArray labels = data.getLabels();
        INDArray p = probabilities.castTo(labels.dataType()).dup();
        double eps = loss.getSoftmaxClipEps();
        if (eps > 0.0) {
            org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(p, eps,
                    org.nd4j.linalg.indexing.conditions.Conditions.lessThan(eps));
            org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(p, 1.0 - eps,
                    org.nd4j.linalg.indexing.conditions.Conditions.greaterThan(1.0 - eps));
        }
        double score = loss.computeScore(labels, p, new org.nd4j.linalg.activations.impl.ActivationIdentity(), null, false);
        return score / labels.size(0) + regularization;
    }

    static TrainingHistory fitOnFeatures(Trainable net, FeatureSet train, FeatureSet validation, Fit fit, String title) {
        return fitKeepingBest(net, train, validation, fit, title).history();
    }

    /** Validation metric that picks the kept epoch. */
    static final String SELECT_BY = "val_auc";

    /**
     * Trains for {@code fit.epochs()} epochs and, with a validation set, keeps the weights of the
     * epoch with the highest validation ROC AUC (ties keep the earlier epoch, an undefined AUC is
     * never chosen): the last epoch is not necessarily the best, and the test split never decides.
     */
    static Fitted fitKeepingBest(Trainable net, FeatureSet train, FeatureSet validation, Fit fit, String title) {
        return fitKeepingBest(net, train, validation, fit, title, null);
    }

    /**
     * As above, with {@code checkpoint} (null: none) saved after every epoch and resumed from: epoch
     * e's shuffle is the e-th draw of the seeded order (replayed for the epochs already done) and
     * ND4J's random state (dropout) is restored, so a resumed fit is bit-identical to one in one go.
     */
    static Fitted fitKeepingBest(Trainable net, FeatureSet train, FeatureSet validation, Fit fit, String title,
                                 HeadCheckpoint checkpoint) {
        if (checkpoint != null && !(net instanceof Resumable)) {
            throw new IllegalArgumentException(title + ": this network's training state cannot be checkpointed");
        }
        int n = train.size();
        long steps = (n + fit.batchSize() - 1) / fit.batchSize();
        Random rng = new Random(fit.shuffleSeed());
        // Row gathers on a 2-D view are fast; INDArray-indexed get() on 4-D arrays is not.
        INDArray flat = train.features().reshape(n, -1);
        long[] exampleShape = java.util.Arrays.copyOfRange(train.features().shape(), 1, train.features().rank());
        INDArray best = null;
        double bestAuc = Double.NaN;
        int bestEpoch = 0;
        TrainingHistory history = new TrainingHistory();
        int firstEpoch = 0;
        HeadCheckpoint.State saved = checkpoint == null ? null : checkpoint.load();
        if (saved != null && saved.finished()) {
            net.setParams(saved.params());
            org.pneumolab.notebook.Notebook.html("<p>" + org.pneumolab.notebook.Html.escape(title)
                    + ": trained before (its finished checkpoint), not trained again</p>");
            // a finished fit saved its best value as NaN exactly when it kept the last epoch by rule
            boolean kept = !Double.isNaN(saved.bestValue());
            return new Fitted(saved.history(), saved.bestEpoch(), kept ? BEST : LAST, saved.bestValue(), saved.keptNote(),
                    true, saved.trained());
        }
        long t0 = System.nanoTime();
        double secondsBefore = saved == null ? 0 : saved.trained().seconds();
        String commit = org.pneumolab.runtime.Provenance.commit(java.nio.file.Path.of("").toAbsolutePath());
        String machine = org.pneumolab.runtime.Provenance.machine();
        if (saved != null) {
            Resumable r = (Resumable) net;
            net.setParams(saved.params());
            if (saved.updater() != null) {
                r.setUpdaterState(saved.updater());
            }
            r.setCounts(saved.iterations(), saved.epochCount());
            Nd4j.getRandom().setStates(saved.rngRoot(), saved.rngNode());
            best = saved.bestParams() != null ? saved.bestParams() : saved.bestEpoch() == saved.completed()
                    && saved.bestEpoch() > 0 ? saved.params().dup() : null;
            bestAuc = saved.bestValue();
            bestEpoch = saved.bestEpoch();
            history = saved.history();
            firstEpoch = saved.completed();
            for (int e = 0; e < firstEpoch; e++) {
                permutation(n, rng);  // the finished epochs' draws, so the next epoch gets its own order
            }
            org.pneumolab.notebook.Notebook.html("<p>" + org.pneumolab.notebook.Html.escape(title) + ": resumed from epoch "
                    + firstEpoch + " of " + fit.epochs() + " (its last checkpoint)</p>");
        }
        try (TrainingMonitor monitor = TrainingMonitor.start(title, fit.epochs(), steps, history, "")) {
            for (int epoch = firstEpoch; epoch < fit.epochs(); epoch++) {
                int[] order = permutation(n, rng);
                double lossSum = 0;
                for (int start = 0; start < n; start += fit.batchSize()) {
                    int end = Math.min(n, start + fit.batchSize());
                    int[] rows = java.util.Arrays.copyOfRange(order, start, end);
                    long[] shape = new long[exampleShape.length + 1];
                    shape[0] = rows.length;
                    System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
                    DataSet batch = new DataSet(Nd4j.pullRows(flat, 1, rows).reshape(shape),
                            Nd4j.pullRows(train.labels(), 1, rows));
                    double loss = net.smallSteps()
                            ? org.pneumolab.runtime.NativeThreads.withSmallStepThreads(() -> net.fitBatch(batch))
                            : net.fitBatch(batch);
                    lossSum += loss * (end - start);
                    monitor.step(loss);
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("train_loss", lossSum / n);
                if (validation != null) {
                    // one inference pass over validation: its probabilities give the AUC and the loss
                    INDArray p = net.probabilities(validation.features());
                    metrics.put("val_loss", net.loss(validation.toDataSet(), p));
                    double a = auc(validation.labels(), p);
                    metrics.put(SELECT_BY, a);
                    if (org.pneumolab.train.BestEpoch.improves(a, best == null ? null : bestAuc)) {
                        best = net.params().dup();
                        bestAuc = a;
                        bestEpoch = epoch + 1;
                    }
                }
                monitor.endEpoch(metrics);
                if (checkpoint != null && epoch + 1 < fit.epochs()) {
                    Resumable r = (Resumable) net;
                    var rng4j = Nd4j.getRandom();
                    save(checkpoint, new HeadCheckpoint.State(epoch + 1, false, net.params(), r.updaterState(),
                            r.iterations(), r.epochCount(), rng4j.rootState(), rng4j.nodeState(), bestEpoch, bestAuc,
                            bestEpoch == epoch + 1 ? null : best, "", monitor.history(),
                            Trained.now(commit, machine, secondsBefore + (System.nanoTime() - t0) / 1e9)));
                }
            }
            int last = fit.epochs();
            Fitted fitted;
            Trained trained = Trained.now(commit, machine, secondsBefore + (System.nanoTime() - t0) / 1e9);
            if (best == null) {
                fitted = new Fitted(monitor.history(), last, LAST, Double.NaN,
                        org.pneumolab.train.BestEpoch.lastNote(last, validation == null ? null : "validation ROC AUC"), false,
                        trained);
            } else {
                if (bestEpoch != last) {
                    net.setParams(best);
                }
                fitted = new Fitted(monitor.history(), bestEpoch, BEST, bestAuc,
                        org.pneumolab.train.BestEpoch.note(bestEpoch, last, "val ROC AUC", bestAuc), false, trained);
            }
            if (checkpoint != null) {
                // finished: only the kept weights are needed to hand the same model out again
                save(checkpoint, new HeadCheckpoint.State(last, true, net.params(), null, 0, 0, 0, 0,
                        fitted.keptEpoch(), fitted.keptValue(), null, fitted.keptNote(), monitor.history(), trained));
            }
            return fitted;
        }
    }

    private static void save(HeadCheckpoint checkpoint, HeadCheckpoint.State state) {
        try {
            checkpoint.save(state);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(checkpoint.file() + ": cannot write the head checkpoint", e);
        }
    }

    /**
     * The checkpoint of one fit (null without {@code checkpoint}): its key is everything that shapes
     * the result: what is trained, the data, the {@link Fit}, the initial weights and the network's
     * configuration (layers, loss and class weights, optimiser and learning rate, seed).
     */
    static HeadCheckpoint checkpointFor(String what, Checkpoint checkpoint, Fit fit, INDArray initialParams, String confJson) {
        return checkpoint == null ? null : new HeadCheckpoint(checkpoint.file(),
                what + " v" + CHECKPOINT_VERSION + "|" + checkpoint.dataKey() + "|" + fit + "|initial "
                        + paramsDigest(initialParams) + "|conf " + org.pneumolab.io.Digests.sha256Hex(confJson).substring(0, 32));
    }

    /** SHA-256 of a parameter vector's float values (the head's initial weights in a checkpoint's key). */
    public static String paramsDigest(INDArray params) {
        float[] v = params.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * v.length);
        buf.asFloatBuffer().put(v);
        return org.pneumolab.io.Digests.sha256Hex(buf.array()).substring(0, 32);
    }

    /**
     * The lab's one shuffle kernel ({@link org.pneumolab.data.EpochOrder#permutation}); the heads
     * draw every epoch's permutation from one stream seeded once, their rule since notebook 02's
     * published numbers, which a per-epoch reseeding would move.
     */
    private static int[] permutation(int n, Random rng) {
        return org.pneumolab.data.EpochOrder.permutation(n, rng);
    }

    /**
     * ROC AUC of P(pneumonia) by Mann-Whitney with ties counting one half (the lab's one AUC,
     * {@link org.pneumolab.metrics.BinaryMetrics#rocAuc}); NaN with one class only. Not ND4J's
     * exact {@code ROC}: it scores a split whose probabilities are all tied as 0.0, not 0.5, which a
     * saturated head (random-init InceptionV3 features at paper size) produced every epoch, and
     * the best-epoch rule selects by this number.
     */
    static double auc(INDArray oneHotLabels, INDArray probabilities) {
        double[] p = probabilities.get(NDArrayIndex.all(), NDArrayIndex.point(1)).toDoubleVector();
        double[] y = oneHotLabels.get(NDArrayIndex.all(), NDArrayIndex.point(1)).toDoubleVector();
        int[] labels = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            labels[i] = y[i] > 0.5 ? 1 : 0;
        }
        return org.pneumolab.metrics.BinaryMetrics.rocAuc(p, labels);
    }

    /** P(PNEUMONIA) for cached features [N, C, H, W]. */
    public double[] scoresFromFeatures(INDArray features) {
        return head.outputSingle(false, features).getColumn(1).toDoubleVector();
    }

    /** P(PNEUMONIA) for raw images [N, 1|3, H, W] in 0..255 (base then head). */
    public double[] scores(INDArray pixels) {
        return scoresFromFeatures(Featurizer.bottleneck(backbone).activations(pixels));
    }

    /** Scores and labels for a cached split. */
    public Predictions predict(String split, FeatureSet features) {
        return new Predictions(split, scoresFromFeatures(features.features()), features.classes());
    }

    /** Scores and labels for a split read from an iterator of raw images. */
    public Predictions predict(String split, DataSetIterator images) {
        return predict(split, Featurizer.bottleneck(backbone).extract(images, "predict " + split));
    }

    /**
     * The whole model as one graph: base frozen with TransferLearning's setFeatureExtractor on the
     * base's real output vertex name, head appended with its current weights. Its
     * {@link ParameterCounts} are the model.summary() figures.
     */
    public ComputationGraph assemble() {
        return assemble(backbone.outputVertex());
    }

    /** As {@link #assemble()}, frozen only up to and including {@code frozenThrough}. */
    public ComputationGraph assemble(String frozenThrough) {
        String out = backbone.outputVertex();
        var b = new TransferLearning.GraphBuilder(backbone.graph())
                .setFeatureExtractor(frozenThrough);
        FeatureScaling scaling = featureScaling();
        long[] shape = backbone.activationShape(out);
        List<Layer> layers = Head.layers(classWeights, scaling, shape[0] * shape[1] * shape[2]);
        List<String> names = Head.layerNames(scaling);
        String prev = out;
        for (int i = 0; i < names.size(); i++) {
            b.addLayer(names.get(i), layers.get(i), prev);
            prev = names.get(i);
        }
        // setInputTypes only works once a layer has been added (it edits the new configuration)
        b.setInputTypes(InputType.convolutional(backbone.inputSize(), backbone.inputSize(), 3));
        ComputationGraph full = b.setOutputs(Head.OUTPUT).build();
        for (String name : names) {
            var l = head.getLayer(name);
            if (l.numParams() > 0) {
                full.getLayer(name).setParams(l.params().dup());
            }
        }
        return full;
    }

    public ParameterCounts parameterCounts() {
        return ParameterCounts.of(assemble());
    }
}
