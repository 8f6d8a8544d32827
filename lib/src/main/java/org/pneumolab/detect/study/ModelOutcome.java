package org.pneumolab.detect.study;

import java.util.List;
import java.util.Map;

import org.pneumolab.detect.Detector;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.train.TrainingHistory;

/**
 * One trained model of the study and what was measured on it.
 *
 * @param runName           the run's folder name in the study's run store ({@link Contender#runName(StudySpec, DetectionData)})
 * @param reused            the run was loaded from disk, nothing trained
 * @param secondsPerEpoch   mean training wall time per epoch (steps only), from the run's history
 * @param peakPhysicalBytes largest resident set size of the process (Java heap + native) seen while training and evaluating in this session
 * @param peakNativeBytes   largest JavaCPP-tracked native allocation (ND4J arrays) seen
 * @param parameters        trainable scalars in the graph
 * @param msPerImage        held-out inference wall time per image, post-processing included
 * @param val               RSNA metric on the validation split (used to pick the best model)
 * @param heldOut           RSNA metric, AP50 and false positives per class on the held-out split
 * @param heldOutDetections post-processed detections per held-out image, original pixels
 * @param keptEpoch         the epoch whose weights were kept (best validation RSNA metric)
 * @param keptNote          which epoch was kept and why, in words
 * @param trainingSeed      the seed of initialisation and shuffling
 */
public record ModelOutcome(Contender contender, String runName, Detector detector, TrainingHistory history, boolean reused,
                           int trainImagesUsed, double secondsPerEpoch, long peakPhysicalBytes, long peakNativeBytes,
                           long parameters, double msPerImage, String initNote, RsnaResult val, RsnaResult heldOut,
                           List<ImageDetections> heldOutDetections, int keptEpoch, String keptNote,
                           long trainingSeed) {

    /** False positives per image of one detailed class on the held-out split (NaN when the class is absent). */
    public double falsePositivesPerImage(String detailedClass) {
        var fp = heldOut.falsePositives().get(detailedClass);
        return fp == null || fp.images() == 0 ? Double.NaN : fp.perImage();
    }

    /** Detections by image id. */
    public Map<String, List<org.pneumolab.geom.Detection>> detectionsById() {
        Map<String, List<org.pneumolab.geom.Detection>> m = new java.util.LinkedHashMap<>();
        heldOutDetections.forEach(d -> m.put(d.imageId(), d.detections()));
        return m;
    }
}
