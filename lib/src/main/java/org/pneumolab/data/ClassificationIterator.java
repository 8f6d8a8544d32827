package org.pneumolab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.pneumolab.image.GrayImage;

/**
 * A DL4J {@link DataSetIterator} over labelled images: features from the {@link ImagePipeline}
 * (NCHW unless the spec says NHWC), labels one-hot [normal, pneumonia] or a single 0/1 column.
 * Batches are prepared on background threads; the order is reshuffled every epoch ({@link #reset})
 * from the seed, and each sample's augmentation is seeded by (seed, epoch, sample), so a run
 * is repeatable. Unreadable images are reported once and left out of their batch.
 * Call {@link #close} (or let the daemon threads die with the JVM) when done.
 */
public final class ClassificationIterator implements DataSetIterator, AutoCloseable {
    private static final List<String> LABELS = List.of("NORMAL", "PNEUMONIA");

    private final List<LabeledImage> items;
    private final ImagePipeline pipeline;
    private final LabelMode labelMode;
    private final BatchOptions options;
    private final SafeLoader loader;
    private final transient EpochBatches<DataSet> batches;
    private DataSetPreProcessor preProcessor;

    public ClassificationIterator(List<LabeledImage> items, ImagePipeline pipeline, LabelMode labelMode,
                                  BatchOptions options, ProblemLog log) {
        for (LabeledImage i : items) {
            if (i.label() != 0 && i.label() != 1) {
                throw new IllegalArgumentException(i.image() + ": label must be 0 or 1, got " + i.label());
            }
        }
        this.items = List.copyOf(items);
        this.pipeline = pipeline;
        this.labelMode = labelMode;
        this.options = options;
        this.loader = new SafeLoader(pipeline, log);
        this.batches = new EpochBatches<>(this.items.size(), options, this::build);
    }

    private DataSet build(int[] indices, int epoch) {
        List<GrayImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i : indices) {
            LabeledImage item = items.get(i);
            Optional<LoadedImage> a = loader.load(item.image(), List.of(), options.augment(),
                    TrainingStreamSeeds.mix(options.seed(), epoch, i));
            if (a.isPresent()) {
                images.add(a.get().image());
                labels.add(item.label());
            }
        }
        if (images.isEmpty()) {
            return null;
        }
        INDArray features = pipeline.toTensor(images);
        int cols = labelMode == LabelMode.ONE_HOT ? 2 : 1;
        float[] y = new float[labels.size() * cols];
        for (int k = 0; k < labels.size(); k++) {
            if (labelMode == LabelMode.ONE_HOT) {
                y[k * 2 + labels.get(k)] = 1;
            } else {
                y[k] = labels.get(k);
            }
        }
        return new DataSet(features, Nd4j.create(y, new long[]{labels.size(), cols}, 'c'));
    }

    @Override
    public boolean hasNext() {
        return batches.hasNext();
    }

    @Override
    public DataSet next() {
        DataSet ds = batches.next();
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** Only the configured batch size is supported: batches are prepared ahead at that size. */
    @Override
    public DataSet next(int num) {
        if (num != options.batchSize()) {
            throw new UnsupportedOperationException("this iterator prepares batches of " + options.batchSize()
                    + " ahead; asked for " + num);
        }
        return next();
    }

    /** Starts the next epoch: a new seeded order and new augmentations. */
    @Override
    public void reset() {
        batches.nextEpoch();
    }

    /** The epoch in progress, from 0. */
    public int epoch() {
        return batches.epoch();
    }

    @Override
    public int inputColumns() {
        return pipeline.spec().channels() * pipeline.spec().height() * pipeline.spec().width();
    }

    @Override
    public int totalOutcomes() {
        return labelMode == LabelMode.ONE_HOT ? 2 : 1;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: this iterator already prefetches; DL4J must not wrap it in another async layer. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return options.batchSize();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor p) {
        this.preProcessor = p;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return LABELS;
    }

    /** Images that could not be loaded (each was reported once). */
    public Set<Path> skipped() {
        return loader.badFiles();
    }

    @Override
    public void close() {
        batches.close();
    }
}
