package org.pneumolab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.GrayImage;

/**
 * Batches for a detector: images through the {@link ImagePipeline} (from its on-disk cache) and
 * each image's boxes moved into tensor pixels (resize, padding, augmentation), with each image's
 * resize geometry to take predictions back. Prepared ahead on background threads, reshuffled
 * each epoch from the seed (epoch e's order and augmentation depend only on the seed and e, so a
 * run resumed at epoch e sees what an uninterrupted one would); unreadable images are reported
 * once and skipped. Only the batches in flight are in memory, never a whole split.
 */
public final class DetectionBatches implements Iterator<DetectionBatch>, AutoCloseable {
    private final List<DetectionSample> samples;
    private final ImagePipeline pipeline;
    private final BatchOptions options;
    private final SafeLoader loader;
    private final EpochBatches<DetectionBatch> batches;

    public DetectionBatches(List<DetectionSample> samples, ImagePipeline pipeline, BatchOptions options, ProblemLog log) {
        this(samples, pipeline, options, log, 0, EpochOrder.of(options));
    }

    /** Starts at epoch {@code firstEpoch} (a resumed training run), visiting samples in {@code order}. */
    public DetectionBatches(List<DetectionSample> samples, ImagePipeline pipeline, BatchOptions options, ProblemLog log,
                            int firstEpoch, EpochOrder order) {
        this.samples = List.copyOf(samples);
        this.pipeline = pipeline;
        this.options = options;
        this.loader = new SafeLoader(pipeline, log);
        Set<String> ids = new HashSet<>();
        for (DetectionSample s : this.samples) {
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("duplicate sample id '" + s.id() + "' (" + s.image() + ")");
            }
        }
        this.batches = new EpochBatches<>(this.samples.size(), options, this::build, firstEpoch, order);
    }

    private DetectionBatch build(int[] indices, int epoch) {
        List<GrayImage> images = new ArrayList<>();
        List<List<Box>> boxes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<ResizeGeometry> geometries = new ArrayList<>();
        for (int i : indices) {
            DetectionSample s = samples.get(i);
            Optional<LoadedImage> a = loader.load(s.image(), s.boxes(), options.augment(), TrainingStreamSeeds.mix(options.seed(), epoch, i));
            if (a.isPresent()) {
                images.add(a.get().image());
                boxes.add(a.get().boxes());
                ids.add(s.id());
                geometries.add(a.get().geometry());
            }
        }
        return images.isEmpty() ? null : new DetectionBatch(pipeline.toTensor(images), boxes, ids, geometries);
    }

    /**
     * One unaugmented batch of {@code samples}, prepared on the caller's thread; an unreadable
     * image is an {@link IOException} naming its file (for callers that report per image).
     */
    public static DetectionBatch load(List<DetectionSample> samples, ImagePipeline pipeline) throws IOException {
        List<GrayImage> images = new ArrayList<>();
        List<List<Box>> boxes = new ArrayList<>();
        List<ResizeGeometry> geometries = new ArrayList<>();
        for (DetectionSample s : samples) {
            LoadedImage a = pipeline.load(s.image(), s.boxes(), AugmentSpec.none(), new Random(0));
            images.add(a.image());
            boxes.add(a.boxes());
            geometries.add(a.geometry());
        }
        return new DetectionBatch(pipeline.toTensor(images), boxes, samples.stream().map(DetectionSample::id).toList(),
                geometries);
    }

    @Override
    public boolean hasNext() {
        return batches.hasNext();
    }

    @Override
    public DetectionBatch next() {
        return batches.next();
    }

    /** Starts the next epoch. */
    public void reset() {
        batches.nextEpoch();
    }

    public int epoch() {
        return batches.epoch();
    }

    /** Batches per epoch (before skipping unreadable images). */
    public int batchesPerEpoch() {
        return (samples.size() + options.batchSize() - 1) / options.batchSize();
    }

    public Set<Path> skipped() {
        return loader.badFiles();
    }

    @Override
    public void close() {
        batches.close();
    }
}
