package org.pneumolab.bench.diag;

import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FineTuner;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.runtime.FastPath;

/**
 * Per-op profile of the shipped VGG16 fine-tuning step (FineTuner's training tail on cached
 * block5_conv2 activations, the bench's fine-tuning row): wall and process CPU per step, then ND4J's
 * OpProfiler dashboard over the profiled steps. A main, not a test.
 * Run (after a build): java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
 * org.pneumolab.bench.diag.FineTuneProfile [size] [batch] [steps]
 */
public final class FineTuneProfile {
    private FineTuneProfile() {
    }

    public static void main(String[] args) {
        FastPath.enable();
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Backbone vgg = Backbones.vgg16(size, 1);
        TransferModel model = TransferModel.create(vgg, ClassWeights.published(), 1);
        FineTuner tuner = new FineTuner(model, FineTuner.VGG16_LAYER);
        MultiLayerNetwork tail = tuner.trainingTail(FineTuner.LEARNING_RATE);
        long[] shape = vgg.activationShape(tuner.frozenOutput());
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, shape[0], shape[1], shape[2]);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 3 == 0 ? 0 : 1, 1f);
        }
        for (int i = 0; i < 3; i++) {
            tail.fit(x, y); // warm-up
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            tail.fit(x, y);
        }
        System.out.printf(Locale.ROOT, "fine-tuning step, VGG16@%d, batch %d, %d native threads: wall %.0f ms, "
                        + "process CPU %.0f ms per step (%.0f img/s)%n", size, batch, Nd4j.getEnvironment().maxThreads(),
                (System.nanoTime() - t0) / 1e6 / steps, (os.getProcessCpuTime() - c0) / 1e6 / steps,
                batch * steps * 1e9 / (System.nanoTime() - t0));
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        for (int i = 0; i < steps; i++) {
            tail.fit(x, y);
        }
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        OpProfiler.getInstance().printOutDashboard();
    }
}
