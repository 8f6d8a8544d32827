package org.pneumolab.detect.study;

import java.util.function.Function;

import org.nd4j.autodiff.samediff.SameDiff;

import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorConfig;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.io.Digests;

/**
 * The three models the case study's point needs, trained on the same split: Faster R-CNN as the
 * published study ran it (images without boxes never reach training), Faster R-CNN with the negatives, and
 * RetinaNet (always trains on every image).
 */
public enum Contender {
    FASTER_RCNN_PUBLISHED("faster-rcnn-no-negatives", "Faster R-CNN, negatives skipped (published)"),
    FASTER_RCNN("faster-rcnn", "Faster R-CNN, with negatives"),
    RETINANET("retinanet", "RetinaNet (focal loss)");

    private final String runName;
    private final String label;

    Contender(String runName, String label) {
        this.runName = runName;
        this.label = label;
    }

    /** The model's name, the stem of its run folders. */
    public String runName() {
        return runName;
    }

    /**
     * The run folder of this model in a study: the name plus a digest of {@link #trainingIdentity}.
     * A RunStore refuses to mix two configurations under one name (by design), so a changed knob
     * trains a new run beside the old one instead of failing, and an unchanged spec finds its
     * finished run and reuses it.
     */
    public String runName(StudySpec spec) {
        return runName + "-" + Digests.sha256Hex(trainingIdentity(spec)).substring(0, 12);
    }

    /**
     * Everything that shapes this model's run: its detector's configuration, the spec's training
     * knobs (epochs, batch size, seed, split fractions, the post-processing its per-epoch
     * validation metric is computed with, the training augmentation and any step cap) and the
     * image pipeline's resize policy (how films reach the model input, see
     * {@link DetectionData#pipelineSpec}). Another detector's knobs are not in it, so changing
     * Faster R-CNN's anchors does not retrain RetinaNet.
     */
    public String trainingIdentity(StudySpec spec) {
        return "{\"contender\":\"" + runName + "\",\"detector\":" + config(spec).toJson() + ",\"epochs\":" + spec.epochs()
                + ",\"batchSize\":" + spec.batchSize() + ",\"seed\":" + spec.seed() + ",\"fractions\":\""
                + spec.fractions() + "\",\"post\":\"" + spec.post() + "\",\"augment\":\"" + spec.augment()
                + "\",\"pipeline\":\"" + DetectionData.pipelineSpec(spec.inputSize()).resizeKey() + "\""
                + (spec.maxStepsPerEpoch() > 0 ? ",\"maxStepsPerEpoch\":" + spec.maxStepsPerEpoch() : "") + "}";
    }

    /** The detector configuration this contender trains under {@code spec}. */
    public DetectorConfig config(StudySpec spec) {
        return switch (this) {
            case RETINANET -> spec.retinaNet();
            case FASTER_RCNN_PUBLISHED -> spec.fasterRcnn().with(f -> f.skipNegativeImages(true));
            case FASTER_RCNN -> spec.fasterRcnn();
        };
    }

    public String label() {
        return label;
    }

    /** A fresh network for the spec's profile (the paper profile tries ImageNet weights). */
    public Detector create(StudySpec spec) {
        return switch (this) {
            case RETINANET -> RetinaNet.create(spec.retinaNet());
            case FASTER_RCNN_PUBLISHED -> FasterRcnn.create((FasterRcnnConfig) config(spec));
            case FASTER_RCNN -> FasterRcnn.create(spec.fasterRcnn());
        };
    }

    /** Rebuilds the model around a graph loaded from a checkpoint. */
    public Function<SameDiff, Detector> restorer(StudySpec spec) {
        return switch (this) {
            case RETINANET -> sd -> RetinaNet.restore(spec.retinaNet(), sd);
            case FASTER_RCNN_PUBLISHED -> sd -> FasterRcnn.restore((FasterRcnnConfig) config(spec), sd);
            case FASTER_RCNN -> sd -> FasterRcnn.restore(spec.fasterRcnn(), sd);
        };
    }

}
