package org.pneumolab.detect.study;

import java.util.function.Function;

import org.nd4j.autodiff.samediff.SameDiff;

import org.pneumolab.detect.Detector;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.runtime.Profile;

/**
 * The three models the case study's point needs, trained on the same split: Faster R-CNN as the
 * seed ran it (images without boxes never reach training), Faster R-CNN with the negatives, and
 * RetinaNet (always trains on every image).
 */
public enum Contender {
    FASTER_RCNN_SEED("faster-rcnn-no-negatives", "Faster R-CNN, negatives skipped (seed)"),
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
     * The run folder for a model built by {@link #create}: the name plus a short digest of the model configuration. A
     * RunStore refuses to mix two configurations under one name (by design), so after an upgrade
     * that changes a config (e.g. the sample RetinaNet's learning rate) a re-run notebook trains
     * a new run beside the old one instead of failing; an unchanged config keeps its folder and
     * is reused.
     */
    public String runName(Detector fresh) {
        return runName + "-" + String.format("%08x", fresh.configJson().hashCode());
    }

    public String label() {
        return label;
    }

    /** A fresh network for the spec's profile (the paper profile tries ImageNet weights). */
    public Detector create(StudySpec spec) {
        return switch (this) {
            case RETINANET -> RetinaNet.create(retinaConfig(spec));
            case FASTER_RCNN_SEED -> FasterRcnn.create(fasterConfig(spec, true));
            case FASTER_RCNN -> FasterRcnn.create(fasterConfig(spec, false));
        };
    }

    /** Rebuilds the model around a graph loaded from a checkpoint. */
    public Function<SameDiff, Detector> restorer(StudySpec spec) {
        return switch (this) {
            case RETINANET -> sd -> RetinaNet.restore(retinaConfig(spec), sd);
            case FASTER_RCNN_SEED -> sd -> FasterRcnn.restore(fasterConfig(spec, true), sd);
            case FASTER_RCNN -> sd -> FasterRcnn.restore(fasterConfig(spec, false), sd);
        };
    }

    /** How the weights were initialised, in words (says plainly when ImageNet weights were missing). */
    public static String initNote(Detector d) {
        if (d instanceof RetinaNet r) {
            return r.initNote();
        }
        if (d instanceof FasterRcnn f) {
            return f.initNote();
        }
        return "unknown";
    }

    static RetinaNetConfig retinaConfig(StudySpec spec) {
        RetinaNetConfig c = spec.profile() == Profile.SAMPLE ? RetinaNetConfig.sample(spec.seed()) : RetinaNetConfig.paper(spec.seed());
        return new RetinaNetConfig(c.backbone(), spec.inputSize(), c.inChannels(), c.fpnChannels(), c.headConvs(),
                c.anchorScale(), c.learningRate(), c.seed(), c.pretrained(), c.doublePrecision(), c.levels());
    }

    static FasterRcnnConfig fasterConfig(StudySpec spec, boolean skipNegatives) {
        FasterRcnnConfig c = spec.profile() == Profile.SAMPLE
                ? FasterRcnnConfig.sample(spec.seed(), skipNegatives) : FasterRcnnConfig.paper(spec.seed(), skipNegatives);
        return new FasterRcnnConfig(c.backbone(), spec.inputSize(), c.inChannels(), c.rpnChannels(), c.anchorSizes(),
                c.pooledSize(), c.fcWidth(), c.rpnBatchPerImage(), c.roiBatchPerImage(), c.preNmsTop(), c.postNmsTop(),
                c.learningRate(), c.seed(), c.skipNegativeImages(), c.pretrained(), c.doublePrecision());
    }
}
