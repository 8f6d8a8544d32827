package org.pneumolab.bench;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * VGG16 (the zoo model's layers) in either data layout, random weights: the zoo's VGG16 is NCHW
 * only, and the layout comparison needs both. Layer indices: blocks 1-2 have conv, conv, pool;
 * blocks 3-5 conv x3, pool; so block4 ends at index 13 and block5 is 14-17.
 */
public final class Vgg16Net {
    /** Index of block4's pooling layer: everything up to here is frozen for fine-tuning. */
    public static final int LAST_FROZEN = 13;
    private static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    private Vgg16Net() {
    }

    /**
     * @param head4096 true: the classic 4096-4096 head (forward benchmark); false: a small
     *                 256-unit head (the fine-tuning benchmark)
     */
    public static MultiLayerNetwork build(int size, CNN2DFormat format, boolean head4096, long seed) {
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU).updater(new Adam(1e-4)).list();
        int i = 0;
        for (int[] block : BLOCKS) {
            for (int channels : block) {
                list.layer(i++, new ConvolutionLayer.Builder(3, 3).nOut(channels).dataFormat(format)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build());
            }
            list.layer(i++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).dataFormat(format).build());
        }
        int hidden = head4096 ? 4096 : 256;
        list.layer(i++, new DenseLayer.Builder().nOut(hidden).activation(Activation.RELU).build());
        if (head4096) {
            list.layer(i++, new DenseLayer.Builder().nOut(4096).activation(Activation.RELU).build());
        }
        list.layer(i, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                .activation(Activation.SOFTMAX).build());
        list.setInputType(InputType.convolutional(size, size, 3, format));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** Blocks 1-4 frozen, block5 and the small head trainable (the Kermany fine-tuning set-up). */
    public static MultiLayerNetwork forFineTuning(int size, CNN2DFormat format, long seed) {
        return new TransferLearning.Builder(build(size, format, false, seed)).setFeatureExtractor(LAST_FROZEN).build();
    }
}
