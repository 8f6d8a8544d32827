package org.pneumolab.detect.study;

import java.util.List;
import java.util.function.Function;

import com.google.gson.JsonObject;

import org.nd4j.autodiff.samediff.SameDiff;

import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.Detectors;
import org.pneumolab.detect.DetectorConfig;
import org.pneumolab.detect.RunSpec;

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
     * The run folder of this model in a study: the name plus the first digits of its
     * {@link RunSpec#identity}. A RunStore refuses to mix two configurations under one name (by
     * design), so a changed knob trains a new run beside the old one instead of failing, and an
     * unchanged spec finds its finished run and reuses it.
     */
    public String runName(StudySpec spec, DetectionData data) {
        return runSpec(spec, data).runName(runName);
    }

    /** This model's run on {@code data}'s training part (see {@link #runSpec(StudySpec, List, JsonObject)}). */
    public RunSpec runSpec(StudySpec spec, DetectionData data) {
        return runSpec(spec, data.part(StudySpec.TRAIN), data.splitJson());
    }

    /**
     * Everything that shapes this model's run: its detector's configuration, the spec's input
     * pipeline (size, resize mode, normalisation), augmentation and training knobs (epochs, batch
     * size, seed, any step cap), the validation metric that picks the kept epoch with the
     * post-processing it is computed after, and the training images with the split that chose
     * them. Another detector's knobs are not in it, so changing Faster R-CNN's anchors does not
     * retrain RetinaNet.
     */
    public RunSpec runSpec(StudySpec spec, List<DetectionSample> train, JsonObject split) {
        return runSpec(config(spec).toJson(), spec, train, split);
    }

    /**
     * The run of the detector configured by {@code detectorJson} (any registered kind) under
     * {@code spec}, as {@link #runSpec(StudySpec, List, JsonObject)} describes a contender's: the
     * one place a study's run identity is made, for contenders and other detectors alike.
     */
    public static RunSpec runSpec(String detectorJson, StudySpec spec, List<DetectionSample> train, JsonObject split) {
        return new RunSpec(detectorJson, DetectionData.pipelineSpec(spec), spec.augment(),
                new DetectorTrainer.Settings(spec.epochs(), spec.batchSize(), spec.seed(), spec.maxStepsPerEpoch()),
                DetectionStudy.SELECT_BY, "RSNA metric over the split's " + StudySpec.VAL + " part, post-processed with "
                        + spec.post(), RunSpec.data(train, split).toString());
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

    /** A fresh network for the spec's profile (the paper profile tries ImageNet weights), built by its registered kind. */
    public Detector create(StudySpec spec) {
        String json = config(spec).toJson();
        return Detectors.kindOf(json).create(json);
    }

    /** Rebuilds the model around a graph loaded from a checkpoint, by its registered kind. */
    public Function<SameDiff, Detector> restorer(StudySpec spec) {
        String json = config(spec).toJson();
        Detectors.Kind kind = Detectors.kindOf(json);
        return sd -> kind.restore(json, sd);
    }

}
