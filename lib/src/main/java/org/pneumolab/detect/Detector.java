package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.DetectionSample;

/**
 * What {@link DetectorTrainer} and {@link RunStore} need from RetinaNet and Faster R-CNN. Batches
 * come from the data package ({@code DetectionBatches}): images at the model's input size, boxes
 * in tensor pixels, and each image's resize geometry for mapping predictions back.
 */
public interface Detector {
    /** A stable description of everything that changes the trained weights (for run reuse). */
    String configJson();

    /** How the weights were initialised, in words (says plainly when ImageNet weights were missing). */
    String initNote();

    SameDiff graph();

    /** Whether this image takes part in training (Faster R-CNN's published mode skips negatives). */
    default boolean trainsOn(DetectionSample s) {
        return true;
    }

    /** One optimisation step; returns {@code loss} and its parts (e.g. {@code cls_loss}, {@code box_loss}). */
    Map<String, Double> fitBatch(DetectionBatch batch, long stepSeed);

    /** The same losses without updating anything. */
    Map<String, Double> losses(DetectionBatch batch, long stepSeed);

    /**
     * Detections per image of the batch, post-processed by {@code pp}, in ORIGINAL image pixels:
     * each box goes back through its image's resize geometry (scale and padding).
     */
    List<ImageDetections> detect(DetectionBatch batch, PostProcess pp);

    /**
     * Frees what the model keeps between calls only to make the next call faster (SameDiff's
     * per-session array caches); the weights and the training state stay. The next call
     * allocates afresh. Called when a phase of work ends (training done), so the memory one phase
     * kept does not sit under the next.
     */
    default void releaseCaches() {
    }

    /** {@link #detect(DetectionBatch, PostProcess)} over a stream of batches, timed. */
    default InferenceResult detectAll(Iterator<DetectionBatch> batches, PostProcess pp) {
        List<ImageDetections> out = new ArrayList<>();
        long nanos = 0;
        while (batches.hasNext()) {
            DetectionBatch b = batches.next(); // waiting for a batch is the loader's time, not inference
            long t0 = System.nanoTime();
            out.addAll(detect(b, pp));
            nanos += System.nanoTime() - t0;
        }
        return new InferenceResult(out, nanos / 1e6 / Math.max(1, out.size()));
    }

    /** Per-image detections and how long inference took. */
    record InferenceResult(List<ImageDetections> images, double msPerImage) {
    }
}
