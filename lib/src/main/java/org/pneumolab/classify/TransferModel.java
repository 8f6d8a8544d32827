package org.pneumolab.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.evaluation.classification.ROC;
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
        if (featureScaling() == FeatureScaling.STANDARDIZE) {
            Head.standardizeWith(head, FeatureStatistics.of(train.features()));
        }
        Fitted f = fitKeepingBest(new HeadStep(head), train, validation, fit,
                backbone.name() + " head (" + classWeights + ")");
        keptEpoch = f.keptEpoch();
        keptNote = f.keptNote();
        return f.history();
    }

    private int keptEpoch;
    private String keptNote = "not trained yet";

    /** The epoch whose head weights the model has after {@link #fitHead} (best validation ROC AUC). */
    public int keptEpoch() {
        return keptEpoch;
    }

    /** Which epoch {@link #fitHead} kept and why, in words. */
    public String keptNote() {
        return keptNote;
    }

    /** What a fit kept: the history of every epoch, the epoch whose weights the network has now, and why. */
    record Fitted(TrainingHistory history, int keptEpoch, String keptNote) {
    }

    /** One trainable network fed with cached activations (the head, or a fine-tuning tail). */
    interface Trainable {
        double fitBatch(DataSet batch);

        double loss(DataSet data);

        INDArray probabilities(INDArray features);

        INDArray params();

        void setParams(INDArray params);
    }

    record HeadStep(ComputationGraph graph) implements Trainable {
        public double fitBatch(DataSet batch) {
            graph.fit(batch);
            return graph.score();
        }

        public double loss(DataSet data) {
            return graph.score(data, false);
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
        int n = train.size();
        long steps = (n + fit.batchSize() - 1) / fit.batchSize();
        Random rng = new Random(fit.shuffleSeed());
        // Row gathers on a 2-D view are fast; INDArray-indexed get() on 4-D arrays is not.
        INDArray flat = train.features().reshape(n, -1);
        long[] exampleShape = java.util.Arrays.copyOfRange(train.features().shape(), 1, train.features().rank());
        INDArray best = null;
        double bestAuc = Double.NaN;
        int bestEpoch = 0;
        try (TrainingMonitor monitor = TrainingMonitor.start(title, fit.epochs(), steps)) {
            for (int epoch = 0; epoch < fit.epochs(); epoch++) {
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
                    double loss = net.fitBatch(batch);
                    lossSum += loss * (end - start);
                    monitor.step(loss);
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("train_loss", lossSum / n);
                if (validation != null) {
                    metrics.put("val_loss", net.loss(validation.toDataSet()));
                    double a = auc(validation.labels(), net.probabilities(validation.features()));
                    metrics.put(SELECT_BY, a);
                    if (org.pneumolab.train.BestEpoch.improves(a, best == null ? null : bestAuc)) {
                        best = net.params().dup();
                        bestAuc = a;
                        bestEpoch = epoch + 1;
                    }
                }
                monitor.endEpoch(metrics);
            }
            int last = fit.epochs();
            if (best == null) {
                return new Fitted(monitor.history(), last,
                        org.pneumolab.train.BestEpoch.lastNote(last, validation == null ? null : "validation ROC AUC"));
            }
            if (bestEpoch != last) {
                net.setParams(best);
            }
            return new Fitted(monitor.history(), bestEpoch, org.pneumolab.train.BestEpoch.note(bestEpoch, last, "val ROC AUC", bestAuc));
        }
    }

    /**
     * The lab's one shuffle kernel ({@link org.pneumolab.data.EpochOrder#permutation}); the heads
     * draw every epoch's permutation from one stream seeded once, their rule since notebook 02's
     * published numbers, which a per-epoch reseeding would move.
     */
    private static int[] permutation(int n, Random rng) {
        return org.pneumolab.data.EpochOrder.permutation(n, rng);
    }

    /** ROC AUC of P(pneumonia), via ND4J's exact ROC (a monitoring number, not a reported metric). */
    static double auc(INDArray oneHotLabels, INDArray probabilities) {
        INDArray col = oneHotLabels.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2));
        INDArray p = probabilities.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2));
        if (col.sumNumber().doubleValue() == 0 || col.sumNumber().doubleValue() == col.length()) {
            return Double.NaN;
        }
        ROC roc = new ROC(0);
        roc.eval(col, p);
        return roc.calculateAUC();
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
