package org.pneumolab.rehearse;

import java.util.Locale;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FineTuner;
import org.pneumolab.classify.Head;
import org.pneumolab.classify.InferenceGraph;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.classify.study.StudyConfig;

/**
 * A Kermany stage's kernel timed alone, on random inputs of the stage's shapes, in the rehearsal's
 * own process right after the stage: the featurize pass's folded forward, a head's training step
 * and the fine-tuning step (what {@code bin/pneumo bench} times against PyTorch), so a stage's
 * rate stands beside what its kernel does under the same load. The gap between the two is the
 * stage's overhead: decoding, copies, validation, scoring, checkpoints, GC.
 */
@FunctionalInterface
public interface KernelProbe {
    /** Batches timed after one warm-up batch. */
    int REPS = 3;

    /**
     * The kernel's rate in the stage's units per wall second, its process CPU seconds per unit
     * (NaN where the JVM cannot say; under load from other processes the CPU figure moves less
     * than the wall one), and what was timed.
     */
    record Rate(double perSecond, double cpuSecondsPerUnit, String what) {
        public Rate(double perSecond, String what) {
            this(perSecond, Double.NaN, what);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3g/s (%s)", perSecond, what);
        }
    }

    Rate measure();

    /** Images per second of the folded inference graph of {@code base} up to {@code vertex}, at {@code batch}. */
    static KernelProbe forward(Backbone base, String vertex, int batch) {
        return () -> {
            InferenceGraph g = InferenceGraph.of(base, vertex);
            Nd4j.getRandom().setSeed(1);
            INDArray pixels = Nd4j.rand(DataType.FLOAT, batch, 3, base.inputSize(), base.inputSize()).muli(255);
            INDArray x = base.preprocessing().apply(pixels);
            g.output(x);
            long t = System.nanoTime();
            double cpu = cpuSeconds();
            for (int i = 0; i < REPS; i++) {
                g.output(x);
            }
            double units = REPS * (double) batch;
            return new Rate(units / seconds(t), (cpuSeconds() - cpu) / units, "folded forward, batch " + batch + ", images");
        };
    }

    /**
     * Epochs per second of a head on {@code base}'s bottleneck features: one training step of
     * the config's batch, times the steps of an epoch over the training split's images.
     */
    static KernelProbe headEpoch(Backbone base, StudyConfig cfg, java.util.function.IntSupplier images) {
        return () -> {
            int trainImages = images.getAsInt();
            long[] shape = base.activationShape(base.outputVertex());
            ComputationGraph head = Head.graph(shape, ClassWeights.published(), cfg.headLearningRate(),
                    cfg.featureScaling(), cfg.seed());
            DataSet batch = randomBatch(cfg.batchSize(), shape);
            // at the count the study's head steps run at (NativeThreads.smallStepCount)
            double[] step = org.pneumolab.runtime.NativeThreads.withSmallStepThreads(
                    () -> timeSteps(() -> head.fit(batch), 5 * REPS));
            long n = steps(trainImages, cfg.batchSize());
            return new Rate(1 / (step[0] * n), step[1] * n,
                    "head step, batch " + cfg.batchSize() + ", x " + steps(trainImages, cfg.batchSize()) + " steps, epochs");
        };
    }

    /** Epochs per second of {@link FineTuner}'s step (its training tail on cached activations) over the training split's images. */
    static KernelProbe fineTuneEpoch(Backbone vgg, StudyConfig cfg, java.util.function.IntSupplier images) {
        return () -> {
            int trainImages = images.getAsInt();
            TransferModel model = TransferModel.create(vgg, ClassWeights.published(), cfg.headLearningRate(),
                    cfg.featureScaling(), cfg.seed());
            FineTuner tuner = new FineTuner(model, cfg.vggFineTuneLayer());
            MultiLayerNetwork tail = tuner.trainingTail(cfg.fineTuneLearningRate());
            DataSet batch = randomBatch(cfg.batchSize(), vgg.activationShape(tuner.frozenOutput()));
            double[] step = timeSteps(() -> tail.fit(batch), REPS);
            long n = steps(trainImages, cfg.batchSize());
            return new Rate(1 / (step[0] * n), step[1] * n,
                    "fine-tuning step, batch " + cfg.batchSize() + ", x " + steps(trainImages, cfg.batchSize()) + " steps, epochs");
        };
    }

    private static DataSet randomBatch(int batch, long[] shape) {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, shape[0], shape[1], shape[2]);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new DataSet(x, y);
    }

    /** Wall and process CPU seconds per step: one warm-up step, then {@code reps} timed. */
    private static double[] timeSteps(Runnable step, int reps) {
        step.run();
        long t = System.nanoTime();
        double cpu = cpuSeconds();
        for (int i = 0; i < reps; i++) {
            step.run();
        }
        return new double[] {seconds(t) / reps, (cpuSeconds() - cpu) / reps};
    }

    /** This process's CPU seconds so far (NaN where the JVM cannot say). */
    private static double cpuSeconds() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    private static long steps(int images, int batch) {
        return (images + batch - 1) / batch;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
