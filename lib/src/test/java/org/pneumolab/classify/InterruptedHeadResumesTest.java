package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.notebook.CellInterrupt;
import org.pneumolab.notebook.CellInterruptedException;
import org.pneumolab.train.TrainingHistory;

/**
 * Issue #26 for the heads (notebook 03's class-weight sweep): Kernel > Interrupt during a head's
 * third epoch, then the same fit again on a fresh model (a rerun of the cell) resumes from epoch 2,
 * says so, and ends with weights bit-identical to a fit in one go (dropout's random state, the
 * optimiser's state and the shuffles included); a finished fit is not trained again.
 */
class InterruptedHeadResumesTest {
    private static final int EPOCHS = 4;
    private static final int BATCH = 8;
    private static final long SEED = 7;

    @AfterEach
    void endCell() {
        CellInterrupt.endCell();
    }

    private static FeatureSet features(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 512, 1, 1);
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = i % 2;
            if (classes[i] == 1) {
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).addi(0.05);  // a weak signal: validation AUC moves from epoch to epoch
            }
        }
        return new FeatureSet(x, FeatureSet.oneHot(classes));
    }

    private static TransferModel head(Backbone base) {
        return TransferModel.create(base, ClassWeights.published(), 1e-2, FeatureScaling.NONE, SEED);
    }

    /** Counts the head's optimisation steps; asks for an interrupt once {@code interruptAt} of them are done. */
    private static AtomicInteger listen(TransferModel m, int interruptAt) {
        AtomicInteger steps = new AtomicInteger();
        m.head().addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (steps.incrementAndGet() == interruptAt) {
                    CellInterrupt.requestIfRunning();
                }
            }
        });
        return steps;
    }

    private static String said(Runnable r) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CellInterrupt.beginCell();
            r.run();
        } finally {
            CellInterrupt.endCell();
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anInterruptedHeadResumesToTheSameWeights(@TempDir Path tmp) {
        Backbone base = Backbones.vgg16(32, 5);
        FeatureSet train = features(40, 1);
        FeatureSet val = features(24, 2);
        var fit = new TransferModel.Fit(EPOCHS, BATCH, SEED);
        int stepsPerEpoch = (40 + BATCH - 1) / BATCH;

        TransferModel oneGo = head(base);
        String initial = TransferModel.paramsDigest(oneGo.head().params());
        TrainingHistory[] h = new TrainingHistory[4];
        said(() -> h[0] = oneGo.fitHead(train, val, fit, new TransferModel.Checkpoint(tmp.resolve("a.head"), "data")));

        TransferModel interrupted = head(base);
        listen(interrupted, 2 * stepsPerEpoch + 2);  // in epoch 3, after epoch 2's checkpoint
        var checkpoint = new TransferModel.Checkpoint(tmp.resolve("b.head"), "data");
        CellInterrupt.beginCell();
        assertThrows(CellInterruptedException.class, () -> interrupted.fitHead(train, val, fit, checkpoint));
        CellInterrupt.endCell();

        TransferModel rerun = head(base);
        AtomicInteger rerunSteps = listen(rerun, -1);
        String resumedSaid = said(() -> h[1] = rerun.fitHead(train, val, fit, checkpoint));
        assertTrue(resumedSaid.contains("resumed from epoch 2 of " + EPOCHS), "a resumed fit says so: " + resumedSaid);
        assertEquals((EPOCHS - 2) * stepsPerEpoch, rerunSteps.get(), "only epochs 3 and 4 are trained again");
        assertEquals(TransferModel.paramsDigest(oneGo.head().params()), TransferModel.paramsDigest(rerun.head().params()),
                "kept weights of the resumed fit");
        assertEquals(oneGo.keptNote(), rerun.keptNote());
        assertEquals(h[0].epochs(), h[1].epochs(), "the same history, epoch by epoch");
        assertNotEquals(initial, TransferModel.paramsDigest(oneGo.head().params()), "the digest sees training");

        TransferModel again = head(base);
        AtomicInteger againSteps = listen(again, -1);
        String againSaid = said(() -> h[2] = again.fitHead(train, val, fit, checkpoint));
        assertTrue(againSaid.contains("not trained again"), againSaid);
        assertEquals(0, againSteps.get(), "a finished fit is not trained again");
        assertEquals(TransferModel.paramsDigest(oneGo.head().params()), TransferModel.paramsDigest(again.head().params()));
        assertEquals(oneGo.keptNote(), again.keptNote());
        // the reuse reports what the checkpoint recorded: the kept epoch's rule and value, and the
        // training that made the weights (its time, commit, machine and seconds), not the reuse
        assertEquals(rerun.fitted().keptRule(), again.fitted().keptRule());
        assertEquals(rerun.fitted().keptValue(), again.fitted().keptValue(), 0.0);
        assertEquals(rerun.fitted().trained(), again.fitted().trained());
        assertTrue(again.fitted().trained().seconds() > 0, again.fitted().trained().toString());

        // another fit (here: another shuffling seed) does not take this checkpoint
        TransferModel other = head(base);
        AtomicInteger otherSteps = listen(other, -1);
        said(() -> h[3] = other.fitHead(train, val, new TransferModel.Fit(EPOCHS, BATCH, SEED + 1), checkpoint));
        assertEquals(EPOCHS * stepsPerEpoch, otherSteps.get(), "another fit trains from the start");
    }

    /** Fine-tuning's tail with an interrupt asked for after {@code interruptAt} steps (-1: never); counts its steps. */
    private record Interrupting(FineTuner.TailStep tail, int interruptAt, AtomicInteger steps) implements TransferModel.Resumable {
        public double fitBatch(org.nd4j.linalg.dataset.DataSet batch) {
            double loss = tail.fitBatch(batch);
            if (steps.incrementAndGet() == interruptAt) {
                CellInterrupt.requestIfRunning();
            }
            return loss;
        }

        public double loss(org.nd4j.linalg.dataset.DataSet data) {
            return tail.loss(data);
        }

        public INDArray probabilities(INDArray features) {
            return tail.probabilities(features);
        }

        public INDArray params() {
            return tail.params();
        }

        public void setParams(INDArray params) {
            tail.setParams(params);
        }

        public INDArray updaterState() {
            return tail.updaterState();
        }

        public void setUpdaterState(INDArray state) {
            tail.setUpdaterState(state);
        }

        public int iterations() {
            return tail.iterations();
        }

        public int epochCount() {
            return tail.epochCount();
        }

        public void setCounts(int iterations, int epochCount) {
            tail.setCounts(iterations, epochCount);
        }
    }

    /** A stage-1 model on a fresh VGG16 (same seed, same weights) and its fine-tuner from block5_conv3. */
    private static FineTuner tuner() {
        return new FineTuner(head(Backbones.vgg16(32, 5)), "block5_conv3");
    }

    @Test
    void anInterruptedFineTuningResumesToTheSameWeights(@TempDir Path tmp) {
        FineTuner tuner = tuner();
        Featurizer frozen = tuner.featurizer();
        SyntheticBlobs tr = SyntheticBlobs.generate(24, 32, 3);
        SyntheticBlobs va = SyntheticBlobs.generate(16, 32, 4);
        FeatureSet train = new FeatureSet(frozen.activations(tr.images()), tr.oneHot());
        FeatureSet val = new FeatureSet(frozen.activations(va.images()), va.oneHot());
        var fit = new TransferModel.Fit(3, BATCH, SEED);
        int steps = 24 / BATCH;
        String key = "fine-tune test";

        var oneGo = new FineTuner.TailStep(tuner.trainingTail(1e-3));
        TransferModel.Fitted[] f = new TransferModel.Fitted[2];
        said(() -> f[0] = TransferModel.fitKeepingBest(oneGo, train, val, fit, "tail",
                new HeadCheckpoint(tmp.resolve("a.finetune"), key)));

        HeadCheckpoint checkpoint = new HeadCheckpoint(tmp.resolve("b.finetune"), key);
        var interrupted = new Interrupting(new FineTuner.TailStep(tuner.trainingTail(1e-3)), steps + 2, new AtomicInteger());
        CellInterrupt.beginCell();
        assertThrows(CellInterruptedException.class,
                () -> TransferModel.fitKeepingBest(interrupted, train, val, fit, "tail", checkpoint));
        CellInterrupt.endCell();

        var rerun = new Interrupting(new FineTuner.TailStep(tuner.trainingTail(1e-3)), -1, new AtomicInteger());
        String resumedSaid = said(() -> f[1] = TransferModel.fitKeepingBest(rerun, train, val, fit, "tail", checkpoint));
        assertTrue(resumedSaid.contains("tail: resumed from epoch 1 of 3"), resumedSaid);
        assertEquals(2 * steps, rerun.steps().get(), "only epochs 2 and 3 are trained again");
        assertEquals(TransferModel.paramsDigest(oneGo.params()), TransferModel.paramsDigest(rerun.params()));
        assertEquals(f[0].history().epochs(), f[1].history().epochs());
        assertEquals(f[0].keptNote(), f[1].keptNote());

        // through FineTuner: a finished fine-tuning with the same key is not trained again
        var viaTuner = new TransferModel.Checkpoint(tmp.resolve("c.finetune"), key);
        FineTuner first = tuner();
        said(() -> first.fineTune(train, val, fit, 1e-3, viaTuner));
        FineTuner second = tuner();
        String againSaid = said(() -> second.fineTune(train, val, fit, 1e-3, viaTuner));
        assertTrue(againSaid.contains("not trained again"), againSaid);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first.predict("val", val).scores(),
                second.predict("val", val).scores(), "the same fine-tuned model, to the last bit");
    }
}
