package org.pneumolab.bench.diag;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.runtime.FastPath;

/**
 * Micro-benchmark of ways to write the detectors' frozen per-channel affine in a SameDiff
 * training graph: forward and gradient of {@code sum(affine(v) * r)} with respect to {@code v}
 * (a trainable stand-in for the activation), process CPU per call, alternating variants.
 * Run: java -cp ... org.pneumolab.bench.diag.AffineBench [C] [HW] [batch] [rounds]
 */
public final class AffineBench {
    private AffineBench() {
    }

    public static void main(String[] args) {
        FastPath.enable();
        int c = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int hw = args.length > 1 ? Integer.parseInt(args[1]) : 56;
        int b = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<String> names = List.of("zeros_like+vars (shipped)", "none (y = v, the baseline)", "zeros_like+consts", "mul+add consts", "depthwise 1x1 + bias consts");
        SameDiff[] g = new SameDiff[names.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = build(i, b, c, hw);
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double[][] ms = new double[g.length][rounds];
        INDArray ref = null;
        for (int i = 0; i < g.length; i++) { // warm-up and the same gradient on every variant
            INDArray grad = g[i].calculateGradients(Map.of(), "v").get("v");
            if (i == 1) {
                continue;
            }
            if (ref == null) {
                ref = grad.dup();
            } else {
                double err = grad.sub(ref).norm2Number().doubleValue() / ref.norm2Number().doubleValue();
                System.out.printf(Locale.ROOT, "%s: gradient relative L2 vs shipped %.2g%n", names.get(i), err);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < g.length; k++) {
                int i = (k + r) % g.length;
                long c0 = os.getProcessCpuTime();
                g[i].calculateGradients(Map.of(), "v");
                ms[i][r] = (os.getProcessCpuTime() - c0) / 1e6;
            }
        }
        for (int i = 0; i < g.length; i++) {
            double[] s = ms[i].clone();
            java.util.Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%-30s CPU ms per forward+backward: median %.1f, min %.1f, max %.1f%n",
                    names.get(i), s[s.length / 2], s[0], s[s.length - 1]);
        }
    }

    private static SameDiff build(int variant, int b, int c, int hw) {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(7);
        SDVariable v = sd.var("v", Nd4j.randn(DataType.FLOAT, b, c, hw, hw));
        INDArray scale = Nd4j.rand(DataType.FLOAT, 1, c, 1, 1).addi(0.5);
        INDArray shift = Nd4j.randn(DataType.FLOAT, 1, c, 1, 1);
        SDVariable r = sd.constant("r", Nd4j.randn(DataType.FLOAT, b, c, hw, hw));
        SDVariable y;
        switch (variant) {
            case 0 -> y = v.mul(sd.zerosLike(v).add(sd.var("s", scale))).add(sd.var("t", shift));
            case 1 -> y = v;
            case 2 -> y = v.mul(sd.zerosLike(v).add(sd.constant("s", scale))).add(sd.constant("t", shift));
            case 3 -> y = v.mul(sd.constant("s", scale)).add(sd.constant("t", shift));
            default -> {
                SDVariable w = sd.constant("s", scale).reshape(1, 1, c, 1);
                SDVariable bias = sd.constant("t", shift).reshape(c);
                y = sd.cnn().depthWiseConv2d(v, w, bias, Conv2DConfig.builder().kH(1).kW(1).dataFormat("NCHW").build());
            }
        }
        y.mul(r).sum().rename("loss");
        sd.setLossVariables("loss");
        return sd;
    }
}
