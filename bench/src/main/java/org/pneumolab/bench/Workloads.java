package org.pneumolab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/** Our side's timed work: DL4J and SameDiff forwards and training steps, in items per second. */
final class Workloads {
    private Workloads() {
    }

    static double forward(MultiLayerNetwork net, INDArray x, int iters) {
        long t = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            net.output(x).close();
        }
        return perSecond(x.size(0) * iters, t);
    }

    static double forward(ComputationGraph net, INDArray x, int iters) {
        long t = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            net.outputSingle(x).close();
        }
        return perSecond(x.size(0) * iters, t);
    }

    static double trainStep(MultiLayerNetwork net, INDArray x, INDArray y, int iters) {
        long t = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            net.fit(x, y);
        }
        return perSecond(x.size(0) * iters, t);
    }

    /** Random one-hot labels, seeded. */
    static INDArray labels(int batch, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, Nd4j.getRandom().nextInt(classes), 1f);
        }
        return y;
    }

    /** A SameDiff stack of {@code depth} 3x3 same-padded conv + ReLU layers in the given layout. */
    record ConvStack(SameDiff sd, String output, INDArray input, double flopsPerImage) {

        static ConvStack build(String format, int batch, int size, int channels, int depth, long seed) {
            Nd4j.getRandom().setSeed(seed);
            SameDiff sd = SameDiff.create();
            boolean nhwc = "NHWC".equals(format);
            long[] shape = nhwc ? new long[] {batch, size, size, channels} : new long[] {batch, channels, size, size};
            SDVariable x = sd.placeHolder("in", DataType.FLOAT, shape);
            Conv2DConfig conf = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1)
                    .paddingMode(PaddingMode.SAME).dataFormat(format).build();
            for (int i = 0; i < depth; i++) {
                // Weights are [kH, kW, in, out] (YXIO) whatever the activation layout.
                SDVariable w = sd.var("w" + i, Nd4j.randn(DataType.FLOAT, 3, 3, channels, channels).muli(0.05));
                SDVariable b = sd.var("b" + i, Nd4j.zeros(DataType.FLOAT, channels));
                x = sd.nn().relu(sd.cnn().conv2d(x, w, b, conf), 0);
            }
            double flops = 2.0 * 9 * channels * channels * size * size * depth;
            return new ConvStack(sd, x.name(), Nd4j.rand(DataType.FLOAT, shape), flops);
        }

        double run(int iters) {
            long t = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                // Closed at once. Left to Java's GC, an output's native memory comes back only
                // when a collection runs; between collections every call touches fresh pages
                // (7 Dec 2026: phases of ~70k minor faults/s and 2-4x slower calls, perf
                // attributing the faults to memset in glibc's arena heaps).
                sd.outputSingle(Map.of("in", input), output).close();
            }
            return perSecond(input.size(0) * iters, t);
        }
    }

    static double perSecond(long items, long startNanos) {
        return items / ((System.nanoTime() - startNanos) / 1e9);
    }

    static List<Contestant> list(Contestant... c) {
        return new ArrayList<>(List.of(c));
    }
}
