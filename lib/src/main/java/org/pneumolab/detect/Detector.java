package org.pneumolab.detect;

import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;

/** What {@link DetectorTrainer} and {@link RunStore} need from RetinaNet and Faster R-CNN. */
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
    Map<String, Double> fitBatch(List<DetectionSample> batch, long stepSeed);

    /** The same losses without updating anything. */
    Map<String, Double> losses(List<DetectionSample> batch, long stepSeed);

    /** Detections per image in ORIGINAL image coordinates, post-processed by {@code pp}. */
    InferenceResult detect(List<DetectionSample> images, PostProcess pp);

    /** Per-image detections and how long inference took. */
    record InferenceResult(List<ImageDetections> images, double msPerImage) {
    }
}
