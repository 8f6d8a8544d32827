package org.pneumolab.classify;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.notebook.ProgressBar;

/**
 * Runs a frozen base (inference mode) over images and reads out one vertex's activations. A whole
 * split ({@link #extract}) goes through the folded inference graph ({@link InferenceGraph}).
 * Counts its forward passes so callers (and tests) can see that a cached run skipped the base.
 */
public final class Featurizer {
    private final Backbone backbone;
    private final String vertex;
    private int batchesRun;

    public Featurizer(Backbone backbone, String vertex) {
        if (backbone.graph().getConfiguration().getVertices().get(vertex) == null) {
            throw new IllegalArgumentException(backbone.name() + ": no vertex named " + vertex);
        }
        this.backbone = backbone;
        this.vertex = vertex;
    }

    /** Featurizes the base's output vertex (block5_pool / mixed10). */
    public static Featurizer bottleneck(Backbone backbone) {
        return new Featurizer(backbone, backbone.outputVertex());
    }

    public String vertex() {
        return vertex;
    }

    /** One image's activations at the vertex, [C, H, W]. */
    public long[] activationShape() {
        return backbone.activationShape(vertex);
    }

    /** The progress bar's title of a pass over {@code task}'s images. */
    public String title(String task) {
        return task + ": " + backbone.name() + " " + vertex;
    }

    /** Number of batches pushed through the base so far. */
    public int batchesRun() {
        return batchesRun;
    }

    /** Activations at the vertex for raw pixels [N, 1 or 3, H, W] in 0..255. */
    public INDArray activations(INDArray pixels) {
        batchesRun++;
        INDArray x = backbone.preprocessing().apply(pixels);
        ComputationGraph g = backbone.graph();
        if (vertex.equals(backbone.outputVertex())) {
            return g.outputSingle(false, x).detach();
        }
        int index = g.getVertex(vertex).getVertexIndex();
        return g.feedForward(x, index, false).get(vertex).dup();
    }

    /**
     * Activations at the vertex through a folded inference graph ({@link InferenceGraph}: batch
     * norms folded into the convolutions, NHWC), equal to {@link #activations} within float
     * rounding; for passes over many batches, since folding copies the base once.
     */
    public INDArray activations(InferenceGraph folded, INDArray pixels) {
        batchesRun++;
        return folded.output(backbone.preprocessing().apply(pixels));
    }

    /** The folded inference graph of the base up to this featurizer's vertex (a copy of its weights now). */
    public InferenceGraph inferenceGraph() {
        return InferenceGraph.of(backbone, vertex);
    }

    /**
     * Features and one-hot labels for a whole split, with a progress bar. Labels may be one-hot
     * [N, 2] or 0/1 [N] / [N, 1].
     */
    public FeatureSet extract(DataSetIterator images, String task) {
        return extract(images, 0, task);
    }

    /** As above; {@code expectedImages} sizes the progress bar (0 when unknown). */
    public FeatureSet extract(DataSetIterator images, long expectedImages, String task) {
        if (images.resetSupported()) {
            images.reset();
        }
        List<INDArray> feats = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        // The base is frozen for the whole pass: fold it once (the featurize pass's speed-up).
        InferenceGraph folded = inferenceGraph();
        try (ProgressBar bar = ProgressBar.start(title(task), expectedImages)) {
            while (images.hasNext()) {
                DataSet batch = images.next();
                feats.add(activations(folded, batch.getFeatures()));
                labels.add(toOneHot(batch.getLabels()));
                bar.advance(batch.numExamples());
            }
        }
        if (feats.isEmpty()) {
            throw new IllegalArgumentException(task + ": no images to featurize");
        }
        return new FeatureSet(Nd4j.concat(0, feats.toArray(INDArray[]::new)),
                Nd4j.concat(0, labels.toArray(INDArray[]::new)));
    }

    static INDArray toOneHot(INDArray labels) {
        if (labels.rank() == 2 && labels.size(1) == 2) {
            return labels.castTo(DataType.FLOAT);
        }
        INDArray flat = labels.reshape(-1);
        int[] classes = new int[(int) flat.length()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (int) Math.round(flat.getDouble(i));
        }
        return FeatureSet.oneHot(classes);
    }
}
