package org.pneumolab.detect;

import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small building blocks for the detectors' SameDiff graphs (NCHW): convolutions, a per-channel
 * affine standing in for batch norm, dense layers. Weights are drawn from one seeded
 * {@link Random}, so the same seed builds the same network. Variables are named after their layer
 * ({@code name + "_W"}, {@code "_b"}, {@code "_scale"}, {@code "_shift"}) so pretrained weights can
 * be copied by name. Reusing a name reuses the variables: that is how heads are shared across
 * FPN levels.
 */
final class GraphBuilder {
    final SameDiff sd;
    final DataType dtype;
    private final Random rnd;

    GraphBuilder(SameDiff sd, DataType dtype, long seed) {
        this.sd = sd;
        this.dtype = dtype;
        this.rnd = new Random(seed);
    }

    /** He-normal weights, scaled by {@code gain} (small gains for output layers). */
    INDArray heNormal(double gain, long fanIn, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double std = gain * Math.sqrt(2.0 / fanIn);
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian() * std;
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype);
    }

    private SDVariable varOrNew(String name, java.util.function.Supplier<INDArray> init) {
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.var(name, init.get());
    }

    /** {@code k x k} convolution, SAME padding; weights {@code [k, k, in, out]}. */
    SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, double gain, double biasInit) {
        SDVariable w = varOrNew(name + "_W", () -> heNormal(gain, (long) k * k * in, k, k, in, out));
        SDVariable b = varOrNew(name + "_b", () -> Nd4j.valueArrayOf(new long[] {out}, biasInit, dtype));
        Conv2DConfig c = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
        return sd.cnn().conv2d(x, w, b, c);
    }

    SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride) {
        return conv(name, x, in, out, k, stride, 1.0, 0.0);
    }

    /**
     * Per-channel {@code x * scale + shift}: a frozen batch norm (torchvision's FrozenBatchNorm2d)
     * when initialised from pretrained statistics, a learnable affine otherwise. Real batch
     * statistics are useless at detection batch sizes of 1-8 anyway.
     */
    SDVariable affine(String name, SDVariable x, int channels, double scaleInit) {
        SDVariable s = varOrNew(name + "_scale", () -> Nd4j.valueArrayOf(new long[] {1, channels, 1, 1}, scaleInit, dtype));
        SDVariable t = varOrNew(name + "_shift", () -> Nd4j.zeros(dtype, 1, channels, 1, 1));
        return x.mul(s).add(t);
    }

    SDVariable relu(SDVariable x) {
        return sd.nn().relu(x, 0);
    }

    SDVariable maxPool3s2(SDVariable x) {
        return sd.cnn().maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2)
                .paddingMode(PaddingMode.SAME).isNHWC(false).build());
    }

    /** {@code x [n, in] -> [n, out]}. */
    SDVariable dense(String name, SDVariable x, int in, int out, double gain, double biasInit) {
        SDVariable w = varOrNew(name + "_W", () -> heNormal(gain, in, in, out));
        SDVariable b = varOrNew(name + "_b", () -> Nd4j.valueArrayOf(new long[] {1, out}, biasInit, dtype));
        return x.mmul(w).add(b);
    }

    /** Nearest-neighbour 2x upsampling (the form of upsampling2d that works in M2.1). */
    SDVariable upsample2(SDVariable x) {
        return sd.cnn().upsampling2d(x, 2, 2, true);
    }

    /** {@code [B, A*K, H, W] -> [B, H*W*A, K]}: the anchor order of {@link AnchorGenerator}. */
    SDVariable flattenHead(SDVariable x, long anchors, int k) {
        return x.permute(0, 2, 3, 1).reshape(-1, anchors, k);
    }
}
