package org.pneumolab.bench.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.runtime.FastPath;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * ReLU's backward as SameDiff runs it ({@code relu} differentiates to {@code thresholdedrelu_bp})
 * against {@code leakyrelu_bp} with alpha 0 (the same function: the gradient passes where the input
 * is above 0), on the activation shapes of the paper RetinaNet at batch 2 and 8; milliseconds per
 * call, median of alternating rounds, and whether the two results are equal.
 * Run (after a build): java -cp ... org.pneumolab.bench.diag.ReluBench [rounds]
 */
public final class ReluBench {
    private ReluBench() {
    }

    public static void main(String[] args) {
        FastPath.enable();
        NativeThreads.useProfile(Profile.PAPER);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long[][] shapes = {{2, 64, 112, 112}, {2, 256, 56, 56}, {2, 256, 28, 28}, {2, 256, 14, 14}, {8, 256, 56, 56}};
        Nd4j.getRandom().setSeed(7);
        for (long[] shape : shapes) {
            INDArray x = Nd4j.randn(DataType.FLOAT, shape);
            INDArray g = Nd4j.randn(DataType.FLOAT, shape);
            INDArray outA = Nd4j.createUninitialized(DataType.FLOAT, shape);
            INDArray outB = Nd4j.createUninitialized(DataType.FLOAT, shape);
            CustomOp a = new ThresholdReluBp(x, g, outA, 0.0);
            CustomOp b = new LeakyReLUBp(x, g, outB, 0.0);
            List<Double> ta = new ArrayList<>();
            List<Double> tb = new ArrayList<>();
            for (int r = 0; r < rounds + 3; r++) {
                boolean aFirst = r % 2 == 0;
                double first = time(aFirst ? a : b);
                double second = time(aFirst ? b : a);
                if (r >= 3) { // the first rounds warm up
                    ta.add(aFirst ? first : second);
                    tb.add(aFirst ? second : first);
                }
            }
            double maxDiff = outA.sub(outB).amaxNumber().doubleValue();
            System.out.printf(Locale.ROOT, "%-18s thresholdedrelu_bp %7.3f ms, leakyrelu_bp(0) %7.3f ms (medians of %d), max |difference| %.1g%n",
                    java.util.Arrays.toString(shape), median(ta), median(tb), rounds, maxDiff);
        }
    }

    private static double time(CustomOp op) {
        long t = System.nanoTime();
        Nd4j.exec(op);
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(List<Double> v) {
        List<Double> w = new ArrayList<>(v);
        Collections.sort(w);
        int n = w.size();
        return n % 2 == 1 ? w.get(n / 2) : (w.get(n / 2 - 1) + w.get(n / 2)) / 2;
    }
}
