package org.pneumolab.classify;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.pneumolab.train.TrainingHistory;

/**
 * Stage 2 of the published study: unfreeze one base layer (VGG16's block5_conv3) and train it with the head
 * at a small learning rate, starting from the stage-1 weights. Everything below that layer stays
 * frozen, so its activations are featurized once (cached like the bottleneck) and only the
 * unfrozen layer, the layers after it and the head run per step.
 */
public final class FineTuner {
    /** The published study's fine-tuning learning rate. */
    public static final double LEARNING_RATE = 1e-5;
    public static final String VGG16_LAYER = "block5_conv3";

    private final TransferModel model;
    private final String unfrozenLayer;
    private final String frozenOutput;
    private MultiLayerNetwork trained;

    public FineTuner(TransferModel model, String unfrozenLayer) {
        var inputs = model.backbone().graph().getConfiguration().getVertexInputs().get(unfrozenLayer);
        if (inputs == null || inputs.size() != 1) {
            throw new IllegalArgumentException(model.backbone().name() + ": cannot fine-tune from " + unfrozenLayer
                    + " (not a single-input layer of the base)");
        }
        this.model = model;
        this.unfrozenLayer = unfrozenLayer;
        this.frozenOutput = inputs.get(0);
        GraphTail.chainAfter(model.backbone(), frozenOutput); // fails early if not a plain chain
    }

    /** The last frozen vertex (block5_conv2 for block5_conv3): featurize and cache its output. */
    public String frozenOutput() {
        return frozenOutput;
    }

    public Featurizer featurizer() {
        return new Featurizer(model.backbone(), frozenOutput);
    }

    /**
     * Trains {@code unfrozenLayer} + the rest of the chain + the head on cached activations of
     * {@link #frozenOutput()}, then writes the new weights back into the model's base and head.
     */
    public TrainingHistory fineTune(FeatureSet train, FeatureSet validation, TransferModel.Fit fit, double learningRate) {
        return fineTune(train, validation, fit, learningRate, null);
    }

    /**
     * As above, saving the fit's state after every epoch to {@code checkpoint} (null: none), as
     * {@link TransferModel#fitHead(FeatureSet, FeatureSet, TransferModel.Fit, TransferModel.Checkpoint)}
     * does: a rerun after an interrupt resumes from the last finished epoch with the same end
     * weights; a finished fine-tuning with the same key is not trained again.
     */
    public TrainingHistory fineTune(FeatureSet train, FeatureSet validation, TransferModel.Fit fit, double learningRate,
                                    TransferModel.Checkpoint checkpoint) {
        MultiLayerNetwork tail = trainingTail(learningRate);
        HeadCheckpoint saved = TransferModel.checkpointFor("fine-tune " + unfrozenLayer, checkpoint, fit, tail.params(),
                tail.getLayerWiseConfigurations().toJson());
        TransferModel.Fitted f = TransferModel.fitKeepingBest(new TailStep(tail), train, validation, fit,
                model.backbone().name() + " fine-tune " + unfrozenLayer, saved);
        GraphTail.copyBack(tail, model.backbone(), frozenOutput, model.head());
        trained = tail;
        fitted = f;
        return f.history();
    }

    private TransferModel.Fitted fitted;

    /** What {@link #fineTune} kept, and who trained it (null before it ran). */
    public TransferModel.Fitted fitted() {
        return fitted;
    }

    /** The epoch whose weights {@link #fineTune} kept (best validation ROC AUC, or the last). */
    public int keptEpoch() {
        return fitted == null ? 0 : fitted.keptEpoch();
    }

    /** Whether {@link #fineTune} read a finished checkpoint instead of training. */
    public boolean reused() {
        return fitted != null && fitted.reused();
    }

    /** Which epoch {@link #fineTune} kept (best validation ROC AUC) and why, in words. */
    public String keptNote() {
        return fitted == null ? "not fine-tuned yet" : fitted.keptNote();
    }

    /**
     * The network {@link #fineTune} trains on cached {@link #frozenOutput()} activations: the
     * unfrozen layer, the layers after it and the head, with the current weights (the benchmark
     * times its step).
     */
    public MultiLayerNetwork trainingTail(double learningRate) {
        return GraphTail.forTraining(model.backbone(), frozenOutput, model.head(), Head.rmsProp(learningRate),
                model.seed());
    }

    /** {@link #trainingTail} with DL4J's own convolution first (input gradient and all): the reference the bench and tests compare with. */
    public MultiLayerNetwork referenceTrainingTail(double learningRate) {
        return GraphTail.forTraining(model.backbone(), frozenOutput, model.head(), Head.rmsProp(learningRate),
                model.seed(), false);
    }

    /**
     * P(PNEUMONIA) of the fine-tuned model for cached {@link #frozenOutput()} activations (only
     * the tail runs). Its bottleneck features differ from stage 1's, so a bottleneck cache of the
     * stage-1 base must not be reused for the fine-tuned model; this scores without it.
     */
    public Predictions predict(String split, FeatureSet frozenActivations) {
        if (trained == null) {
            throw new IllegalStateException("predict before fineTune: nothing fine-tuned yet");
        }
        double[] scores = trained.output(frozenActivations.features(), false).getColumn(1).toDoubleVector();
        return new Predictions(split, scores, frozenActivations.classes());
    }

    /**
     * The full model as DL4J would fine-tune it: setFeatureExtractor on the last frozen vertex, so
     * exactly {@code unfrozenLayer}, the layers after it and the head are trainable.
     */
    public ComputationGraph assemble() {
        return model.assemble(frozenOutput);
    }

    record TailStep(MultiLayerNetwork net) implements TransferModel.Resumable {
        public INDArray updaterState() {
            return net.getUpdater().getStateViewArray();
        }

        public void setUpdaterState(INDArray state) {
            net.getUpdater().getStateViewArray().assign(state);
        }

        public int iterations() {
            return net.getLayerWiseConfigurations().getIterationCount();
        }

        public int epochCount() {
            return net.getLayerWiseConfigurations().getEpochCount();
        }

        public void setCounts(int iterations, int epochCount) {
            net.getLayerWiseConfigurations().setIterationCount(iterations);
            net.getLayerWiseConfigurations().setEpochCount(epochCount);
        }

        public double fitBatch(DataSet batch) {
            net.fit(batch);
            return net.score();
        }

        public double loss(DataSet data) {
            return net.score(data, false);
        }

        public double loss(DataSet data, INDArray probabilities) {
            return TransferModel.lossFromProbabilities(net.getOutputLayer().conf().getLayer(),
                    net.calcRegularizationScore(true), data, probabilities, () -> loss(data));
        }

        public INDArray probabilities(INDArray features) {
            return net.output(features, false);
        }

        public INDArray params() {
            return net.params();
        }

        public void setParams(INDArray params) {
            net.setParams(params);
        }
    }
}
