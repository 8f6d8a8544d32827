package org.pneumolab.bench;

import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FeatureSet;
import org.pneumolab.classify.Featurizer;
import org.pneumolab.classify.InferenceGraph;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.classify.study.StudyConfig;
import org.pneumolab.runtime.Profile;

/**
 * The classification notebooks' featurize-once trick: the frozen VGG16 base runs once per image
 * and every head epoch trains on the cached bottleneck features, instead of pushing each batch
 * through the frozen base every epoch (what Keras's fit does with a frozen base). One epoch each
 * way over the same images (the head's epochs in one call, as the study trains it); the one-off
 * featurize pass is shown too, since it is the cached route's entry price.
 */
final class FeaturizeWork {
    static final String FEATURIZE = "featurize pass (Featurizer.extract: folded NHWC graph, once per image)";
    static final String THROUGH_BASE = "epoch through the frozen base (assemble() graph fit)";

    private FeaturizeWork() {
    }

    static Comparison comparison(int size, int images, int batch, long seed) {
        Backbone vgg = Backbones.vgg16(size, seed);
        TransferModel model = TransferModel.create(vgg, ClassWeights.published(), seed);
        Nd4j.getRandom().setSeed(seed);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, images, 3, size, size).muli(255);
        Random rnd = new Random(seed);
        int[] classes = new int[images];
        for (int i = 0; i < images; i++) {
            classes[i] = rnd.nextInt(2);
        }
        INDArray labels = FeatureSet.oneHot(classes);
        Featurizer featurizer = Featurizer.bottleneck(vgg);
        FeatureSet cached = new FeatureSet(featurizer.activations(pixels), labels);
        ComputationGraph full = model.assemble();
        // The assembled graph sees preprocessed pixels, as the base does inside the featurizer.
        INDArray input = vgg.preprocessing().apply(pixels);
        // The head trains as the study trains it: all its epochs in one fitHead call. One epoch a
        // call (runs 1-11) was a 50-100 ms call whose samples spread by 48-264% in the full runs
        // 9-11, so the row never passed the guard; 20 epochs a call passed at 64 px (spread 11%).
        // The head's calls still vary 2-3x one to the next at two native threads (7 Dec, 70 calls
        // at 150 px: 500-1,900 img/s, no GC beside the slow ones; at one thread 1,500-2,800), and
        // 96 images a call (run 15) did not steady them: docs/PERF.md, "One thread or two for the heads".
        int headEpochs = StudyConfig.forProfile(Profile.PAPER, seed).epochs();
        TransferModel.Fit headFit = new TransferModel.Fit(headEpochs, batch, seed);
        return new Comparison(String.format("VGG16@%d featurize-once: one epoch of %d images, batch %d", size, images,
                batch), Unit.rate("img/s"), Workloads.list(
                new Contestant("head epochs on cached features (fitHead, " + headEpochs + " epochs a call, as the study)",
                        true, () -> {
                    long t = System.nanoTime();
                    model.fitHead(cached, null, headFit);
                    return Workloads.perSecond((long) images * headEpochs, t);
                }),
                new Contestant(FEATURIZE, true, () -> {
                    long t = System.nanoTime();
                    InferenceGraph folded = featurizer.inferenceGraph(); // Featurizer.extract folds once per pass
                    for (int from = 0; from < images; from += batch) {
                        featurizer.activations(folded, rows(pixels, from, batch)).close();
                    }
                    return Workloads.perSecond(images, t);
                }),
                new Contestant("featurize pass through the base as built (before folding)", true, () -> {
                    long t = System.nanoTime();
                    for (int from = 0; from < images; from += batch) {
                        featurizer.activations(rows(pixels, from, batch)).close();
                    }
                    return Workloads.perSecond(images, t);
                }),
                new Contestant(THROUGH_BASE, true, () -> {
                    long t = System.nanoTime();
                    for (int from = 0; from < images; from += batch) {
                        full.fit(new DataSet(rows(input, from, batch), rows(labels, from, batch)));
                    }
                    return Workloads.perSecond(images, t);
                })),
                "ratios against the epoch through the frozen base; "
                        + (vgg.weights().pretrained() ? "ImageNet" : "random") + " base weights, random pixels and labels",
                THROUGH_BASE);
    }

    private static INDArray rows(INDArray a, int from, int batch) {
        long to = Math.min(a.size(0), from + batch);
        return a.get(NDArrayIndex.interval(from, to)).dup();
    }

}
