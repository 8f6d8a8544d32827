package org.pneumolab.detect;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
    /** Activations NHWC (the inference graph) instead of NCHW; weights are [k, k, in, out] either way. */
    final boolean nhwc;
    /**
     * Inference only: an affine straight after a convolution is not built but folded into that
     * convolution's weights and bias ({@link #foldedAffines}, applied by {@link #copyFolded}).
     */
    private final boolean foldAffines;
    /**
     * Training graphs: each affine's scale and shift are constants folded into the convolution
     * before it (a frozen batch norm, see {@link #convAffine}) instead of variables that train.
     */
    private final boolean frozenAffines;
    private final Random rnd;
    private final Map<String, String> convOf = new HashMap<>();        // conv output variable -> conv name
    private final Map<String, String> foldedAffines = new LinkedHashMap<>(); // affine name -> conv name

    GraphBuilder(SameDiff sd, DataType dtype, long seed) {
        this(sd, dtype, seed, false);
    }

    /** A training graph's builder; {@code frozenAffines}: the affines are frozen batch norms (constants). */
    GraphBuilder(SameDiff sd, DataType dtype, long seed, boolean frozenAffines) {
        this(sd, dtype, seed, false, false, frozenAffines);
    }

    private GraphBuilder(SameDiff sd, DataType dtype, long seed, boolean nhwc, boolean foldAffines, boolean frozenAffines) {
        this.sd = sd;
        this.dtype = dtype;
        this.rnd = new Random(seed);
        this.nhwc = nhwc;
        this.foldAffines = foldAffines;
        this.frozenAffines = frozenAffines;
    }

    /**
     * A builder for a frozen inference copy of a graph: NHWC, affines folded into the
     * convolutions before them. Build the same network with it, then {@link #copyFolded} the
     * trained graph's weights in. Never for training: the folded weights are a copy.
     */
    static GraphBuilder inference(SameDiff sd, DataType dtype, long seed) {
        return new GraphBuilder(sd, dtype, seed, true, true, false);
    }

    /** The variable layout's name for Conv2DConfig. */
    String layout() {
        return nhwc ? "NHWC" : "NCHW";
    }

    /** Affine name -> the convolution it was folded into (empty unless built by {@link #inference}). */
    Map<String, String> foldedAffines() {
        return Map.copyOf(foldedAffines);
    }

    /**
     * Copies every variable of {@code trained} that {@code frozen} has, folding the affines this
     * builder folded: {@code W' = W * scale} per output channel, {@code b' = b * scale + shift}.
     */
    void copyFolded(SameDiff trained, SameDiff frozen) {
        Map<String, String> affineOfConv = new HashMap<>();
        foldedAffines.forEach((affine, conv) -> affineOfConv.put(conv, affine));
        for (SDVariable v : frozen.variables()) {
            if (v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                continue;
            }
            String name = v.name();
            INDArray src = trained.getArrForVarName(name);
            if (src == null) {
                throw new IllegalStateException("trained graph has no variable " + name);
            }
            INDArray value = src.dup();
            String conv = name.endsWith("_W") || name.endsWith("_b") ? name.substring(0, name.length() - 2) : null;
            String affine = conv == null ? null : affineOfConv.get(conv);
            if (affine != null) {
                INDArray scale = trained.getArrForVarName(affine + "_scale").reshape(-1);
                INDArray shift = trained.getArrForVarName(affine + "_shift").reshape(-1);
                long out = scale.length();
                if (name.endsWith("_W")) {
                    value = src.reshape(-1, out).mulRowVector(scale).reshape(src.shape());
                } else {
                    value = src.reshape(-1).mul(scale).addi(shift).reshape(src.shape());
                }
            }
            frozen.getVariable(name).setArray(value);
        }
    }

    /** He-normal weights, scaled by {@code gain} (small gains for output layers). */
    INDArray heNormal(double gain, long fanIn, long... shape) {
        if (foldAffines) {
            return Nd4j.zeros(dtype, shape); // an inference copy: the trained weights are copied in
        }
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
                .paddingMode(PaddingMode.SAME).dataFormat(layout()).build();
        SDVariable y = sd.cnn().conv2d(x, w, b, c);
        if (foldAffines) {
            convOf.put(y.name(), name);
        }
        return y;
    }

    SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride) {
        return conv(name, x, in, out, k, stride, 1.0, 0.0);
    }

    /** {@code k x k} convolution with {@code pad} zeros on every side, then VALID (Keras's ZeroPadding2D + Conv2D). */
    SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, int pad) {
        SDVariable w = varOrNew(name + "_W", () -> heNormal(1.0, (long) k * k * in, k, k, in, out));
        SDVariable b = varOrNew(name + "_b", () -> Nd4j.zeros(dtype, out));
        Conv2DConfig c = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat(layout()).build();
        SDVariable y = sd.cnn().conv2d(x, w, b, c);
        if (foldAffines) {
            convOf.put(y.name(), name);
        }
        return y;
    }

    /**
     * Per-channel {@code x * scale + shift} standing in for batch norm (real batch statistics are
     * useless at detection batch sizes of 1-8), trained: variables named {@code name + "_scale"} and
     * {@code "_shift"}, shape {@code [1, C, 1, 1]} (random init, where the affines are the only
     * normalisation the backbone has). The frozen form is {@link #convAffine}'s.
     */
    SDVariable affine(String name, SDVariable x, int channels, double scaleInit) {
        if (foldAffines && convOf.containsKey(x.name())) {
            foldedAffines.put(name, convOf.get(x.name()));
            return x;
        }
        if (nhwc) {
            throw new IllegalStateException("an affine not after a convolution in an NHWC graph: " + name);
        }
        if (frozenAffines) {
            throw new IllegalStateException("a frozen affine is built with its convolution (convAffine): " + name);
        }
        SDVariable s = varOrNew(name + "_scale", () -> Nd4j.valueArrayOf(new long[] {1, channels, 1, 1}, scaleInit, dtype));
        SDVariable t = varOrNew(name + "_shift", () -> Nd4j.zeros(dtype, 1, channels, 1, 1));
        // x * (zeros_like(x) + s), not x * s: the same function and gradients, but libnd4j's
        // backward of a broadcast multiply reduces the scale's gradient at ~50 ns per element (a
        // quarter of a paper-profile RetinaNet step), while a broadcast add's backward and a
        // same-shape multiply's are fast; measured -20% CPU per step (docs/PERF.md)
        return x.mul(sd.zerosLike(x).add(s)).add(t);
    }

    private SDVariable constOrNew(String name, java.util.function.Supplier<INDArray> init) {
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.constant(name, init.get());
    }

    /**
     * A convolution ({@code pad < 0}: SAME, else {@code pad} zeros then VALID) followed by a batch
     * norm's affine. Trained affines ({@code frozenAffines} false): {@link #conv} then
     * {@link #affine}, as before the knob. Frozen (torchvision's FrozenBatchNorm2d, for a
     * pretrained backbone): scale and shift are constants ({@code affine + "_scale"},
     * {@code "_shift"}, shape {@code [C]}) folded into the convolution inside the graph,
     * {@code conv(x, W * scale) + (b * scale + shift)}, which is {@code conv(x, W, b) * scale + shift}
     * exactly, with the same gradient for {@code W} and {@code b} (the chain rule through a
     * multiply by a constant), so Adam trains the same parameters as torchvision. Why this form:
     * its extra work is over the weights ({@code W * (zeros_like(W) + scale)}: the scale has no
     * gradient path, so the backward is one same-shape multiply), not over the activations, which
     * at batch 2 already outnumber the backbone's weights and grow with the batch; the trained form
     * costs four activation-sized passes forward and three backward per batch norm, and a
     * depthwise 1x1 convolution over constants (tried) cost more still (docs/PERF.md). The weights
     * are drawn in the same order either way, so a seed builds the same network.
     */
    SDVariable convAffine(String conv, String affine, SDVariable x, int in, int out, int k, int stride, int pad,
                          double scaleInit) {
        if (!frozenAffines) {
            SDVariable y = pad < 0 ? conv(conv, x, in, out, k, stride) : conv(conv, x, in, out, k, stride, pad);
            return affine(affine, y, out, scaleInit);
        }
        SDVariable w = varOrNew(conv + "_W", () -> heNormal(1.0, (long) k * k * in, k, k, in, out));
        SDVariable b = varOrNew(conv + "_b", () -> Nd4j.zeros(dtype, out));
        SDVariable s = constOrNew(affine + "_scale", () -> Nd4j.valueArrayOf(new long[] {out}, scaleInit, dtype));
        SDVariable t = constOrNew(affine + "_shift", () -> Nd4j.zeros(dtype, out));
        // zeros_like(W) + scale, not W * scale: a broadcast multiply's backward would reduce a
        // scale gradient nobody needs (slowly, see affine); this way the scale is off the gradient path
        SDVariable wf = w.mul(sd.zerosLike(w).add(s));
        SDVariable bf = b.mul(s).add(t);
        Conv2DConfig.Conv2DConfigBuilder c = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).dataFormat(layout());
        Conv2DConfig cfg = pad < 0 ? c.paddingMode(PaddingMode.SAME).build()
                : c.pH(pad).pW(pad).paddingMode(PaddingMode.VALID).build();
        return sd.cnn().conv2d(x, wf, bf, cfg);
    }

    SDVariable relu(SDVariable x) {
        return sd.nn().relu(x, 0);
    }

    /** 3x3 stride-2 max pool over {@code pad} padding on every side, then VALID (padding never wins a max). */
    SDVariable maxPool3s2(SDVariable x, int pad) {
        return sd.cnn().maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).isNHWC(nhwc).build());
    }

    /** {@code x [n, in] -> [n, out]}. */
    SDVariable dense(String name, SDVariable x, int in, int out, double gain, double biasInit) {
        SDVariable w = varOrNew(name + "_W", () -> heNormal(gain, in, in, out));
        SDVariable b = varOrNew(name + "_b", () -> Nd4j.valueArrayOf(new long[] {1, out}, biasInit, dtype));
        return x.mmul(w).add(b);
    }

    /** Nearest-neighbour 2x upsampling (the form of upsampling2d that works in M2.1). */
    SDVariable upsample2(SDVariable x) {
        return sd.cnn().upsampling2d(x, 2, 2, !nhwc);
    }

    /** {@code [B, A*K, H, W] (or NHWC [B, H, W, A*K]) -> [B, H*W*A, K]}: the anchor order of {@link AnchorGenerator}. */
    SDVariable flattenHead(SDVariable x, long anchors, int k) {
        return (nhwc ? x : x.permute(0, 2, 3, 1)).reshape(-1, anchors, k);
    }
}
