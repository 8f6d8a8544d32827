package org.pneumolab.classify;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An inference-only NHWC convolution for {@link InferenceGraph}: one native conv2d call (oneDNN
 * on the CPU build) straight on the NHWC activations with DL4J's [out, in, kh, kw] weights, then
 * the activation in place.
 *
 * <p>Why not DL4J's own layer: in NHWC its {@code preOutput} first makes an NCHW copy of every
 * input (permute + dup) before handing the original to the oneDNN helper, a full extra pass
 * over each activation: 22% of a folded InceptionV3 forward in the op profile (docs/PERF.md).
 * Training falls back to DL4J's layer, so a graph built with this class is still correct if
 * someone fits it, only not faster.
 */
final class NhwcInferenceConvolution extends ConvolutionLayer {

    /** A copy of {@code c}'s configuration (kernel, stride, padding, dilation, mode, sizes, activation), NHWC. */
    static NhwcInferenceConvolution of(ConvolutionLayer c) {
        NhwcInferenceConvolution n = new NhwcInferenceConvolution();
        n.setLayerName(c.getLayerName());
        n.setKernelSize(c.getKernelSize().clone());
        n.setStride(c.getStride().clone());
        n.setPadding(c.getPadding().clone());
        n.setDilation(c.getDilation().clone());
        n.setConvolutionMode(c.getConvolutionMode());
        n.setNIn(c.getNIn());
        n.setNOut(c.getNOut());
        n.setHasBias(true);
        n.setActivationFn(c.getActivationFn());
        n.setWeightInitFn(c.getWeightInitFn());
        n.setBiasInit(c.getBiasInit());
        n.setIUpdater(new org.nd4j.linalg.learning.config.NoOp());
        n.setCnn2dDataFormat(CNN2DFormat.NHWC);
        return n;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray view, boolean initializeParams,
                                                       DataType networkDataType) {
        Runtime layer = new Runtime(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(view);
        Map<String, INDArray> params = initializer().init(conf, view, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return ConvolutionParamInitializer.getInstance();
    }

    static final class Runtime extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            if (training) {
                return super.activate(true, mgr);
            }
            assertInputSet(false);
            ConvolutionLayer c = (ConvolutionLayer) conf().getLayer();
            INDArray in = input.castTo(dataType);
            INDArray w = getParam(ConvolutionParamInitializer.WEIGHT_KEY);     // [out, in, kh, kw]
            INDArray b = getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(-1);
            int[] k = c.getKernelSize();
            int[] s = c.getStride();
            int[] p = c.getPadding();
            int[] d = c.getDilation();
            boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
            int[] hw = ConvolutionUtils.getOutputSize(in, k, s, p, c.getConvolutionMode(), d, CNN2DFormat.NHWC);
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    new long[] {in.size(0), hw[0], hw[1], w.size(0)}, 'c');
            Nd4j.exec(DynamicCustomOp.builder("conv2d")
                    .addInputs(in, w, b)
                    .addOutputs(out)
                    // kH, kW, sH, sW, pH, pW, dH, dW, padding mode (1 = SAME), 1 = NHWC, weights format 1 = [out, in, kh, kw]
                    .addIntegerArguments(k[0], k[1], s[0], s[1], same ? 0 : p[0], same ? 0 : p[1], d[0], d[1],
                            same ? 1 : 0, 1, 1)
                    .build());
            return c.getActivationFn().getActivation(out, false);
        }
    }
}
