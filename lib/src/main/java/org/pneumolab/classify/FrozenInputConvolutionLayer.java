package org.pneumolab.classify;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer {@link FrozenInputConvolution} builds. Training forward: DL4J's convolution (the
 * oneDNN one), keeping the pre-activation. Backprop: the activation's derivative on the kept
 * pre-activation, then the weight gradient as one matrix product of the output gradient with
 * the input's patches (im2col) and the bias gradient as a sum; no input gradient (null: the
 * input is a constant, and a network's first layer hands its input gradient to nobody).
 */
final class FrozenInputConvolutionLayer extends ConvolutionLayer {
    private INDArray preActivation;

    FrozenInputConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training) {
            preActivation = null;
            return super.activate(false, workspaceMgr);
        }
        assertInputSet(false);
        INDArray z = preOutput(true, false, workspaceMgr).getFirst();
        // kept outside any workspace: backprop reads it after the forward pass's scopes
        preActivation = z.detach();
        return layerConf().getActivationFn().getActivation(z, true);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (preActivation == null) {
            throw new IllegalStateException(layerId() + ": backprop without a training forward pass");
        }
        assertInputSet(true);
        INDArray in = input.castTo(dataType);
        INDArray delta = layerConf().getActivationFn().backprop(preActivation, epsilon).getFirst();
        preActivation = null;

        INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        int batch = (int) in.size(0);
        int inDepth = (int) weights.size(1);
        int outDepth = (int) weights.size(0);
        int kH = (int) weights.size(2);
        int kW = (int) weights.size(3);
        int[] kernel = layerConf().getKernelSize();
        int[] strides = layerConf().getStride();
        int[] dilation = layerConf().getDilation();
        int[] inSize = {(int) in.size(2), (int) in.size(3)};
        int[] pad;
        int[] outSize;
        if (convolutionMode == ConvolutionMode.Same) {
            outSize = ConvolutionUtils.getOutputSize(in, kernel, strides, null, convolutionMode, dilation);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, strides, dilation);
        } else {
            pad = layerConf().getPadding();
            outSize = ConvolutionUtils.getOutputSize(in, kernel, strides, pad, convolutionMode, dilation);
        }
        int outH = outSize[0];
        int outW = outSize[1];

        INDArray delta2d = delta.permute(1, 0, 2, 3).dup('c').reshape('c', outDepth, (long) batch * outH * outW);
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray weightGrad2d = weightGrad.reshape('c', outDepth, (long) inDepth * kH * kW);
        if (in.dataType() == DataType.FLOAT && Patches.fitsIntIndex(in, (long) inDepth * kH * kW * batch * outH * outW)) {
            // patches built in Java, [inDepth*kH*kW, batch*outH*outW], rows written contiguously:
            // libnd4j's im2col wrote the same numbers through a permuted view at about 2.5x the time
            // (docs/PERF.md, "Fine-tuning step"); the product below sums in the same order
            INDArray patches = Patches.transposed(in, kH, kW, strides, dilation, pad, outH, outW);
            Nd4j.gemm(delta2d, patches, weightGrad2d, false, true, 1.0, 0.0);
        } else {
            // patches in the order [batch, outH, outW, inDepth, kH, kW], written through the permuted
            // view im2col expects, so the 2-d reshape below is free
            INDArray col = Nd4j.createUninitialized(dataType, batch, outH, outW, inDepth, kH, kW);
            Convolution.im2col(in, kH, kW, strides[0], strides[1], pad[0], pad[1], dilation[0], dilation[1],
                    convolutionMode == ConvolutionMode.Same, col.permute(0, 3, 4, 5, 1, 2));
            INDArray col2d = col.reshape('c', (long) batch * outH * outW, (long) inDepth * kH * kW);
            Nd4j.gemm(delta2d, col2d, weightGrad2d, false, false, 1.0, 0.0);
        }
        if (weightGrad2d.data() != weightGrad.data() || weightGrad2d.offset() != weightGrad.offset()) {
            weightGrad.assign(weightGrad2d.reshape(weightGrad.shape())); // a reshape that had to copy
        }
        Gradient g = new DefaultGradient();
        if (layerConf().hasBias()) {
            INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            biasGrad.assign(delta2d.sum(1).reshape(biasGrad.shape()));
            g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(g, null);
    }
}
