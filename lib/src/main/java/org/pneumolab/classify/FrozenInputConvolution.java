package org.pneumolab.classify;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution whose input is a constant: the first trainable layer of a fine-tuning tail, fed
 * cached activations of the frozen layers below. DL4J's own convolution layer computes the
 * forward convolution a second time in backprop and always computes the gradient with respect
 * to its input, which here nobody reads: about half of a fine-tuning step (docs/PERF.md). This
 * layer keeps the pre-activation from the forward pass and computes only the weight and bias
 * gradients ({@link FrozenInputConvolutionLayer}). Same parameters, same layout, same forward
 * as the layer it copies; only for NCHW, no dropout or weight noise on the layer itself.
 */
public final class FrozenInputConvolution extends ConvolutionLayer {

    /** For DL4J's configuration cloning and JSON; use {@link #of}. */
    public FrozenInputConvolution() {
        super();
    }

    /** A copy of {@code conv}'s configuration (every field, so nothing the layer does is lost). */
    public static FrozenInputConvolution of(ConvolutionLayer conv) {
        if (conv.getIDropout() != null || conv.getWeightNoise() != null) {
            throw new IllegalArgumentException(conv.getLayerName() + ": dropout or weight noise on the layer itself is not "
                    + "supported by the frozen-input convolution");
        }
        if (conv.getCnn2dDataFormat() != null && conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(conv.getLayerName() + ": only NCHW, got " + conv.getCnn2dDataFormat());
        }
        FrozenInputConvolution copy = new FrozenInputConvolution();
        for (Class<?> c = ConvolutionLayer.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(copy, f.get(conv));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + c.getSimpleName() + "." + f.getName(), e);
                }
            }
        }
        return copy;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        FrozenInputConvolutionLayer layer = new FrozenInputConvolutionLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        ParamInitializer init = initializer();
        Map<String, INDArray> params = init.init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public FrozenInputConvolution clone() {
        return (FrozenInputConvolution) super.clone();
    }
}
