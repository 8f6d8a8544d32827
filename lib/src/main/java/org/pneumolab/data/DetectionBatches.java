package org.pneumolab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.Augmented;
import org.pneumolab.image.GrayImage;

/**
 * Batches for a detector: images through the {@link ImagePipeline} and each image's boxes moved
 * into tensor pixels (resize, padding, augmentation). Prepared ahead on background threads,
 * reshuffled each epoch from the seed; unreadable images are reported once and skipped.
 * {@link #toOriginal} takes a prediction on an image back to that image's own pixels.
 */
public final class DetectionBatches implements Iterator<DetectionBatch>, AutoCloseable {
    private final List<DetectionSample> samples;
    private final ImagePipeline pipeline;
    private final BatchOptions options;
    private final SafeLoader loader;
    private final Map<String, ResizeGeometry> geometries = new ConcurrentHashMap<>();
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final EpochBatches<DetectionBatch> batches;

    public DetectionBatches(List<DetectionSample> samples, ImagePipeline pipeline, BatchOptions options, ProblemLog log) {
        this.samples = List.copyOf(samples);
        this.pipeline = pipeline;
        this.options = options;
        this.loader = new SafeLoader(pipeline, log);
        for (DetectionSample s : this.samples) {
            if (files.putIfAbsent(s.id(), s.image()) != null) {
                throw new IllegalArgumentException("duplicate sample id '" + s.id() + "' (" + s.image() + ")");
            }
        }
        this.batches = new EpochBatches<>(this.samples.size(), options, this::build);
    }

    private DetectionBatch build(int[] indices, int epoch) {
        List<GrayImage> images = new ArrayList<>();
        List<List<Box>> boxes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i : indices) {
            DetectionSample s = samples.get(i);
            Optional<Augmented> a = loader.load(s.image(), s.boxes(), options.augment(), TrainingStreamSeeds.mix(options.seed(), epoch, i));
            if (a.isPresent()) {
                images.add(a.get().image());
                boxes.add(a.get().boxes());
                ids.add(s.id());
            }
        }
        return images.isEmpty() ? null : new DetectionBatch(pipeline.toTensor(images), boxes, ids);
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

    /**
     * A box predicted on image {@code id}'s tensor back to the original image's pixels (clipped
     * to it); meant for evaluation batches, which are not augmented. Uses the cached geometry, so it does not decode when the cache holds the image.
     */
    public Box toOriginal(String id, Box inTensor) throws IOException {
        ResizeGeometry g = geometries.get(id);
        if (g == null) {
            Path f = files.get(id);
            if (f == null) {
                throw new IllegalArgumentException("unknown sample id '" + id + "'");
            }
            g = pipeline.prepare(f).geometry();
            geometries.put(id, g);
        }
        return g.toSource(inTensor);
    }

    public Set<Path> skipped() {
        return loader.badFiles();
    }

    @Override
    public void close() {
        batches.close();
    }
}
