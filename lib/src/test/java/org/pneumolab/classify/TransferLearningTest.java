package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Optional;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.pneumolab.train.TrainingHistory;

/**
 * Fixed-seed learning checks on a synthetic blob-vs-none task with randomly initialised bases
 * (no ImageNet weights exist on the test machine): frozen base + trained head must rank held-out
 * images well above chance; fine-tuning block5_conv3 must change only that layer and the head.
 */
class TransferLearningTest {
    private static final long SEED = 42;
    private static final int EPOCHS = 10;

    private static DataSetIterator iterator(SyntheticBlobs d, int batch) {
        return new ListDataSetIterator<>(new DataSet(d.images(), d.oneHot()).asList(), batch);
    }

    private record Trained(TransferModel model, SyntheticBlobs train, SyntheticBlobs test) {
    }

    private static Trained trainHead(Backbone backbone, int size, int nTrain, int nTest, String label) {
        SyntheticBlobs train = SyntheticBlobs.generate(nTrain, size, 1);
        SyntheticBlobs test = SyntheticBlobs.generate(nTest, size, 2);
        Featurizer featurizer = Featurizer.bottleneck(backbone);
        long t0 = System.nanoTime();
        FeatureSet trainF = featurizer.extract(iterator(train, 16), nTrain, "train");
        FeatureSet testF = featurizer.extract(iterator(test, 16), nTest, "test");
        long t1 = System.nanoTime();
        TransferModel model = TransferModel.create(backbone, ClassWeights.none(), 1e-3, SEED);
        TrainingHistory h = model.fitHead(trainF, testF, new TransferModel.Fit(EPOCHS, 16, SEED));
        long t2 = System.nanoTime();
        Predictions p = model.predict("synthetic-test", testF);
        double auc = SyntheticBlobs.auc(p.scores(), p.labels());
        System.out.printf("%s: featurize %d images %.2fs (%.1f ms/image), head %d epochs %.2fs (%.3fs/epoch), "
                        + "synthetic-test AUC %.3f%n", label, nTrain + nTest, (t1 - t0) / 1e9,
                (t1 - t0) / 1e6 / (nTrain + nTest), EPOCHS, (t2 - t1) / 1e9, (t2 - t1) / 1e9 / EPOCHS, auc);
        assertEquals(EPOCHS, h.size());
        assertTrue(h.metricNames().containsAll(java.util.Set.of("train_loss", "val_loss", "val_auc")));
        assertEquals("synthetic-test", p.split());
        assertTrue(auc > 0.8, label + ": held-out AUC " + auc);

        // Scoring raw images (base + head) agrees with scoring cached features.
        double[] direct = model.scores(test.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)));
        for (int i = 0; i < direct.length; i++) {
            assertEquals(p.scores()[i], direct[i], 1e-4);
        }
        return new Trained(model, train, test);
    }

    @Test
    void vgg16RandomBaseLearnsFineTunesAndLocalisesBlob() {
        int size = 48;
        Backbone vgg = Backbones.vgg16(size, SEED);
        assertEquals(WeightsSource.Kind.RANDOM, vgg.weights().kind(), "no ImageNet weights expected offline");
        Trained t = trainHead(vgg, size, 48, 32, "vgg16@48");

        // Stage 2: fine-tune block5_conv3 on cached block5_conv2 activations.
        FineTuner tuner = new FineTuner(t.model(), FineTuner.VGG16_LAYER);
        assertEquals("block5_conv2", tuner.frozenOutput());
        INDArray conv2Before = vgg.graph().getLayer("block5_conv2").params().dup();
        INDArray conv3Before = vgg.graph().getLayer("block5_conv3").params().dup();
        Featurizer f = tuner.featurizer();
        FeatureSet tr = f.extract(iterator(t.train(), 16), "fine-tune train");
        FeatureSet te = f.extract(iterator(t.test(), 16), "fine-tune test");
        long t0 = System.nanoTime();
        tuner.fineTune(tr, te, new TransferModel.Fit(2, 16, SEED), FineTuner.LEARNING_RATE);
        System.out.printf("vgg16@48 fine-tune block5_conv3: %.3fs/epoch on cached block5_conv2%n",
                (System.nanoTime() - t0) / 1e9 / 2);
        assertEquals(conv2Before, vgg.graph().getLayer("block5_conv2").params(), "block5_conv2 must stay frozen");
        assertFalse(conv3Before.equals(vgg.graph().getLayer("block5_conv3").params()), "block5_conv3 must train");
        double auc = SyntheticBlobs.auc(t.model().scores(t.test().images()), t.test().labels());
        assertTrue(auc > 0.8, "after fine-tuning, synthetic-test AUC " + auc);

        // Grad-CAM runs on the fine-tuned model and renders a grid (localisation: GradCamTest).
        GradCamResult cam = GradCam.compute(t.model(), t.test().images().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)));
        assertEquals("block5_conv3", cam.layer());
        BufferedImage grid = cam.toImage();
        assertEquals(4 * 192, grid.getWidth());
        assertEquals(26 + 2 * (192 + 18), grid.getHeight(), "title row + two rows of cells");
    }

    @Test
    void inceptionV3RandomBaseLearnsBlobTask() throws Exception {
        Backbone inc = Backbones.inceptionV3(75, SEED, Optional.empty());
        assertEquals(WeightsSource.Kind.RANDOM, inc.weights().kind());
        Trained t = trainHead(inc, 75, 48, 32, "inception_v3@75");
        GradCamResult cam = GradCam.compute(t.model(), t.test().images().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)));
        assertEquals("mixed10", cam.layer());
        assertEquals(75, cam.heatmaps()[0].length);
    }
}
