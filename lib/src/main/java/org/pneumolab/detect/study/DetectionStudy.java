package org.pneumolab.detect.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.SDVariable;

import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.detect.RunStore;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.RsnaResult;

/**
 * Notebook 04's experiment: train (or reuse the runs of) each {@link Contender} on the same train
 * split with the same seed, follow the validation RSNA metric per epoch, then score every model on
 * the held-out split (RSNA metric, AP50, false positives per image by detailed class) and time its
 * inference. Runs live in a {@link RunStore}; re-running the notebook reuses finished runs.
 */
public final class DetectionStudy {
    private DetectionStudy() {
    }

    public static StudyResult run(DetectionData data, StudySpec spec, RunStore store, List<Contender> contenders)
            throws IOException {
        // The study's profile decides the native thread count (a notebook may set it in code).
        org.pneumolab.detect.NativeThreads.useProfile(spec.profile());
        List<ModelOutcome> outcomes = new ArrayList<>();
        for (Contender c : contenders) {
            outcomes.add(runOne(data, spec, store, c));
        }
        return new StudyResult(spec, data, outcomes);
    }

    static ModelOutcome runOne(DetectionData data, StudySpec spec, RunStore store, Contender c) throws IOException {
        List<DetectionSample> val = data.part(StudySpec.VAL);
        long[] peak = {Pointer.physicalBytes(), Pointer.totalBytes()};
        DetectorTrainer.Validation validation = (det, epoch) -> {
            RsnaResult r = evaluate(det, val, data, StudySpec.VAL, spec).result();
            notePeak(peak);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("val_rsna_metric", r.score());
            m.put("val_ap50", r.ap50());
            return m;
        };
        Detector fresh = c.create(spec);
        String run = c.runName(fresh);
        String freshNote = Contender.initNote(fresh);
        var result = DetectorTrainer.train(store, run, fresh, c.restorer(spec), data.trainingInput(StudySpec.TRAIN, spec),
                new DetectorTrainer.Settings(spec.epochs(), spec.batchSize(), spec.seed()), validation);
        Detector det = result.detector();
        int used = (int) data.part(StudySpec.TRAIN).stream().filter(det::trainsOn).count();
        Scored v = evaluate(det, val, data, StudySpec.VAL, spec);
        Scored h = evaluate(det, data.part(StudySpec.HELD_OUT), data, StudySpec.HELD_OUT, spec);
        notePeak(peak);
        String note = result.reused() || result.resumedFrom() > 0
                ? "weights from run '" + run + "' (" + freshNote.replace("random initialisation", "initialised randomly")
                        + " when it was started)"
                : freshNote;
        return new ModelOutcome(c, det, result.history(), result.reused(), used, DetectorTrainer.meanEpochSeconds(result.history()), peak[0], peak[1],
                parameterCount(det.graph()), h.msPerImage(), note, v.result(), h.result(), h.detections());
    }

    private static void notePeak(long[] peak) {
        peak[0] = Math.max(peak[0], Pointer.physicalBytes());
        peak[1] = Math.max(peak[1], Pointer.totalBytes());
    }

    record Scored(RsnaResult result, List<ImageDetections> detections, double msPerImage) {
    }

    static Scored evaluate(Detector det, List<DetectionSample> images, DetectionData data, String part, StudySpec spec) {
        Detector.InferenceResult inf;
        try (var batches = data.batches(images)) {
            inf = det.detectAll(batches, spec.post());
        }
        Map<String, List<org.pneumolab.geom.Detection>> preds = new LinkedHashMap<>();
        inf.images().forEach(d -> preds.put(d.imageId(), d.detections()));
        RsnaResult r = RsnaMetric.evaluate(part, data.groundTruth(part), preds, data.classes(part));
        return new Scored(r, inf.images(), inf.msPerImage());
    }

    /** Trainable scalars: the graph's VARIABLE arrays (placeholders and constants excluded). */
    public static long parameterCount(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }
}
