package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.train.TrainingHistory;

/**
 * Each training epoch runs validation once: the validation loss is taken from the probabilities
 * that give the validation AUC ({@link TransferModel#lossFromProbabilities}), not from a second
 * forward pass. It equals DL4J's {@code score(data, false)} to the last bit, for the head and
 * the fine-tuning tail, with class weights, saturated softmax outputs (the clip) included, so a
 * fit's history and kept weights are the ones the two-pass loop gave.
 */
class OneValidationPassTest {
    private static DataSet data(int n, long[] shape, double scale, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, shape[0], shape[1], shape[2]).muli(scale);
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = (i * 7 + 3) % 3 == 0 ? 0 : 1;
        }
        return new DataSet(x, FeatureSet.oneHot(classes));
    }

    @Test
    void theHeadsLossFromItsProbabilitiesIsItsScoreBitForBit() {
        long[] shape = {64, 2, 2};
        ComputationGraph head = Head.graph(shape, ClassWeights.published(), 1e-2, 3);
        var step = new TransferModel.HeadStep(head);
        // a moderate input, and one large enough to saturate the softmax (the loss's clip)
        for (double scale : new double[] {1, 1e4}) {
            DataSet val = data(37, shape, scale, 11);
            for (int epoch = 0; epoch < 3; epoch++) {
                INDArray p = step.probabilities(val.getFeatures());
                assertEquals(head.score(val, false), step.loss(val, p), 0.0, "scale " + scale + ", after " + epoch + " fits");
                head.fit(data(16, shape, 1, 20 + epoch));
            }
        }
    }

    @Test
    void theFineTuningTailsLossFromItsProbabilitiesIsItsScoreBitForBit() {
        Backbone base = Backbones.vgg16(32, 5);
        FineTuner tuner = new FineTuner(TransferModel.create(base, ClassWeights.published(), 1e-2,
                FeatureScaling.NONE, 7), "block5_conv3");
        var tail = new FineTuner.TailStep(tuner.trainingTail(1e-3));
        long[] shape = base.activationShape(tuner.frozenOutput());
        DataSet val = data(9, shape, 1, 4);
        for (int epoch = 0; epoch < 2; epoch++) {
            INDArray p = tail.probabilities(val.getFeatures());
            assertEquals(tail.net().score(val, false), tail.loss(val, p), 0.0, "after " + epoch + " fits");
            tail.fitBatch(data(8, shape, 1, 30 + epoch));
        }
    }

    @Test
    void oneValidationPassPerEpochGivesTheTwoPassHistoryAndWeights() {
        long[] shape = {64, 2, 2};
        FeatureSet train = new FeatureSet(data(48, shape, 1, 1).getFeatures(), data(48, shape, 1, 1).getLabels());
        DataSet v = data(21, shape, 1, 2);
        FeatureSet val = new FeatureSet(v.getFeatures(), v.getLabels());
        var fit = new TransferModel.Fit(4, 16, 9);

        AtomicInteger onePass = new AtomicInteger();
        var one = new Counting(new TransferModel.HeadStep(Head.graph(shape, ClassWeights.published(), 1e-2, 3)), onePass, true);
        Nd4j.getRandom().setSeed(5);
        TransferModel.Fitted a = TransferModel.fitKeepingBest(one, train, val, fit, "one pass");
        AtomicInteger twoPasses = new AtomicInteger();
        var two = new Counting(new TransferModel.HeadStep(Head.graph(shape, ClassWeights.published(), 1e-2, 3)), twoPasses, false);
        Nd4j.getRandom().setSeed(5);
        TransferModel.Fitted b = TransferModel.fitKeepingBest(two, train, val, fit, "two passes");

        assertEquals(fit.epochs(), onePass.get(), "one validation pass per epoch");
        assertEquals(2 * fit.epochs(), twoPasses.get(), "the old loop: two per epoch");
        TrainingHistory ha = a.history();
        TrainingHistory hb = b.history();
        assertEquals(hb.epochs(), ha.epochs());
        for (String s : new String[] {"train_loss", "val_loss", "val_auc"}) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(hb.series(s), ha.series(s), 0.0, s);
        }
        assertEquals(fit.epochs(), hb.series("val_loss").length);
        assertEquals(b.keptEpoch(), a.keptEpoch());
        assertEquals(TransferModel.paramsDigest(two.params()), TransferModel.paramsDigest(one.params()), "the kept weights");
    }

    /**
     * The head as the loop drives it, counting its forward passes: {@code onePass} takes the loss
     * from the probabilities (the loop now); otherwise by DL4J's score, a second forward pass (the
     * two-pass loop as it was).
     */
    private record Counting(TransferModel.HeadStep head, AtomicInteger passes, boolean onePass) implements TransferModel.Trainable {
        public double fitBatch(DataSet batch) {
            return head.fitBatch(batch);
        }

        public double loss(DataSet data) {
            passes.incrementAndGet();
            return head.loss(data);
        }

        public double loss(DataSet data, INDArray probabilities) {
            return onePass ? head.loss(data, probabilities) : loss(data);
        }

        public INDArray probabilities(INDArray features) {
            passes.incrementAndGet();
            return head.probabilities(features);
        }

        public INDArray params() {
            return head.params();
        }

        public void setParams(INDArray params) {
            head.setParams(params);
        }
    }
}
