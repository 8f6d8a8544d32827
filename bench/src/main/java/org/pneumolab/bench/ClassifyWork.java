package org.pneumolab.bench;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FineTuner;
import org.pneumolab.classify.InferenceGraph;
import org.pneumolab.classify.TransferModel;

/**
 * The classification studies' shipped work: the {@code classify.Backbones} graphs as built (what
 * Grad-CAM and training see) and folded for inference ({@link InferenceGraph}, what the featurize
 * pass runs), and the fine-tuning step {@link FineTuner} takes on cached activations.
 */
final class ClassifyWork {
    private ClassifyWork() {
    }

    /** Forward of the base as built: its own graph, NCHW, inference mode. */
    static Contestant asBuilt(String label, Backbone base, INDArray x, int iters) {
        ComputationGraph g = base.graph();
        return new Contestant(label, true, () -> {
            long t = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                g.outputSingle(false, x).close();
            }
            return Workloads.perSecond(x.size(0) * iters, t);
        });
    }

    /** Forward of the folded inference graph, NCHW in and out (layout conversions included). */
    static Contestant folded(String label, Backbone base, CNN2DFormat layout, INDArray x, int iters) {
        InferenceGraph g = InferenceGraph.of(base, base.outputVertex(), layout);
        return new Contestant(label, true, () -> {
            long t = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                g.output(x).close();
            }
            return Workloads.perSecond(x.size(0) * iters, t);
        });
    }

    /**
     * FineTuner's training step: block5_conv3 + pool + the seed's head, RMSprop at the seed's
     * fine-tuning rate, on cached block5_conv2 activations (random here; speed does not depend
     * on them), class-weighted loss with the seed's weights.
     */
    /**
     * The step {@code FineTuner} takes ({@code reference} false: its frozen-input convolution) or
     * the same step with DL4J's own convolution first ({@code reference} true: what it took before).
     */
    static Contestant fineTuneStep(Backbone vgg, int batch, int iters, long seed, boolean reference) {
        TransferModel model = TransferModel.create(vgg, ClassWeights.published(), seed);
        FineTuner tuner = new FineTuner(model, FineTuner.VGG16_LAYER);
        MultiLayerNetwork tail = reference ? tuner.referenceTrainingTail(FineTuner.LEARNING_RATE)
                : tuner.trainingTail(FineTuner.LEARNING_RATE);
        long[] shape = vgg.activationShape(tuner.frozenOutput());
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, shape[0], shape[1], shape[2]);
        INDArray y = Workloads.labels(batch, 2, seed);
        return new Contestant(reference ? "FineTuner step, DL4J's ConvolutionLayer first (before: input gradient, forward twice)"
                : "FineTuner step (frozen-input convolution, NCHW)", true, () -> Workloads.trainStep(tail, x, y, iters));
    }
}
