package org.pneumolab.bench.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FeatureSet;
import org.pneumolab.classify.Featurizer;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.runtime.FastPath;

/**
 * One native thread or two for a head fit: the shipped {@code TransferModel.fitHead} (the study's
 * batch of 32, random features of the bottleneck's shape, no validation) timed in alternating
 * rounds at {@code threadCounts}, in one JVM, so both counts see the same JIT and machine. Each
 * round sets {@code pneumo.threads}, which the head's steps read on every call
 * ({@code NativeThreads.smallStepCount}); the detectors' count is not used here. Prints
 * ms per step for each round and the median per count. A main, not a test.
 * Run (after a build): java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
 * org.pneumolab.bench.diag.HeadThreads [vgg|inception] [images] [epochs] [rounds] [threadCounts, e.g. 2,1]
 */
public final class HeadThreads {
    private HeadThreads() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.enable();
        String which = args.length > 0 ? args[0] : "vgg";
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 320;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String[] counts = (args.length > 4 ? args[4] : "2,1").split(",");
        Backbone base = which.equals("inception") ? Backbones.inceptionV3(299, 1) : Backbones.vgg16(150, 1);
        TransferModel model = TransferModel.create(base, ClassWeights.published(), 1);
        long[] shape = Featurizer.bottleneck(base).activationShape();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, images, shape[0], shape[1], shape[2]);
        Random rnd = new Random(1);
        int[] classes = new int[images];
        for (int i = 0; i < images; i++) {
            classes[i] = rnd.nextInt(2);
        }
        FeatureSet train = new FeatureSet(x, FeatureSet.oneHot(classes));
        TransferModel.Fit fit = new TransferModel.Fit(epochs, 32, 1);
        int steps = epochs * ((images + 31) / 32);
        System.setProperty("pneumo.threads", counts[0].trim());
        model.fitHead(train, null, fit); // warm-up: JIT, first allocations
        List<List<Double>> perCount = new ArrayList<>();
        for (String c : counts) {
            perCount.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < counts.length; k++) {
                int t = Integer.parseInt(counts[k].trim());
                // fitHead's steps run at NativeThreads.smallStepCount(), which reads pneumo.threads on every call
                System.setProperty("pneumo.threads", String.valueOf(t));
                long t0 = System.nanoTime();
                model.fitHead(train, null, fit);
                double ms = (System.nanoTime() - t0) / 1e6 / steps;
                perCount.get(k).add(ms);
                System.out.printf(Locale.ROOT, "%s head [%s], round %d, %d thread(s): %.1f ms per step (%d steps)%n",
                        base.name(), String.join("x", java.util.Arrays.stream(shape).mapToObj(Long::toString).toList()),
                        r + 1, t, ms, steps);
            }
        }
        for (int k = 0; k < counts.length; k++) {
            List<Double> v = new ArrayList<>(perCount.get(k));
            v.sort(null);
            System.out.printf(Locale.ROOT, "%s head, %s thread(s): median %.1f ms per step, min %.1f, max %.1f over %d rounds%n",
                    base.name(), counts[k].trim(), v.get(v.size() / 2), v.get(0), v.get(v.size() - 1), v.size());
        }
    }
}
