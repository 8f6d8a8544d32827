package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A head's training steps run at {@code NativeThreads.smallStepCount()} native threads (one
 * unless {@code pneumo.threads} says otherwise), the caller keeps its own count, and a finished
 * head checkpoint trained at one count is not handed out to a fit at another.
 */
class HeadThreadsTest {
    private static final int EPOCHS = 2;
    private static final int BATCH = 8;

    @AfterEach
    void unset() {
        System.clearProperty("pneumo.threads");
    }

    private static boolean configuredFromOutside() {
        String e = System.getenv("PNEUMO_THREADS");
        return e != null && !e.isBlank();
    }

    private static FeatureSet features(int n) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 512, 1, 1);
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = i % 2;
        }
        return new FeatureSet(x, FeatureSet.oneHot(classes));
    }

    private static TransferModel head() {
        return TransferModel.create(Backbones.vgg16(32, 5), ClassWeights.published(), 1e-2, FeatureScaling.NONE, 7);
    }

    /** The native thread counts the head's steps saw (read on the training thread after each step); counts the steps. */
    private static Set<Integer> threadsSeen(TransferModel m, AtomicInteger steps) {
        Set<Integer> seen = new TreeSet<>();
        m.head().addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                steps.incrementAndGet();
                seen.add(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            }
        });
        return seen;
    }

    @Test
    void headStepsRunAtOneThreadAndTheCallerKeepsItsCount() {
        assumeTrue(!configuredFromOutside(), "PNEUMO_THREADS is set: the steps take that count");
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        try {
            ops.setOmpNumThreads(3);
            TransferModel m = head();
            AtomicInteger steps = new AtomicInteger();
            Set<Integer> seen = threadsSeen(m, steps);
            m.fitHead(features(32), features(16), new TransferModel.Fit(EPOCHS, BATCH, 1));
            assertEquals(EPOCHS * 32 / BATCH, steps.get());
            assertEquals(Set.of(1), seen, "native threads during the head's steps");
            assertEquals(3, ops.ompGetMaxThreads(), "the caller's count after the fit");
        } finally {
            ops.setOmpNumThreads(before);
        }
    }

    @Test
    void aCheckpointTrainedAtAnotherCountIsNotHandedOut(@TempDir Path tmp) {
        assumeTrue(!configuredFromOutside(), "PNEUMO_THREADS is set: pneumo.threads cannot change the count");
        FeatureSet train = features(32);
        FeatureSet val = features(16);
        var fit = new TransferModel.Fit(EPOCHS, BATCH, 1);
        var checkpoint = new TransferModel.Checkpoint(tmp.resolve("h.head"), "data");
        head().fitHead(train, val, fit, checkpoint); // finished, at one thread

        TransferModel same = head();
        AtomicInteger sameSteps = new AtomicInteger();
        threadsSeen(same, sameSteps);
        same.fitHead(train, val, fit, checkpoint);
        assertTrue(same.reused(), "the same count takes the finished checkpoint");
        assertEquals(0, sameSteps.get());

        System.setProperty("pneumo.threads", "2");
        TransferModel other = head();
        AtomicInteger otherSteps = new AtomicInteger();
        Set<Integer> seen = threadsSeen(other, otherSteps);
        other.fitHead(train, val, fit, checkpoint);
        assertTrue(!other.reused(), "a fit at 2 threads does not take a checkpoint trained at 1");
        assertEquals(EPOCHS * 32 / BATCH, otherSteps.get(), "it trains from the start");
        assertEquals(Set.of(2), seen);
    }
}
