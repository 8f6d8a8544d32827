package org.pneumolab.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.RsnaResult;

/**
 * One set of post-processing settings on one split, the direct way: {@link PostProcess#apply} on
 * each image's raw detections, then {@link RsnaMetric#evaluate} (metric, AP50, false positives by
 * detailed class) over the images of the cached split.
 */
public final class SplitScorer {
    private SplitScorer() {
    }

    public static RsnaResult evaluate(RawDetections raw, Map<String, List<Box>> groundTruth, PostProcess settings) {
        return evaluate(raw, groundTruth, settings, Map.of());
    }

    /** @param classes detailed class per image, or an empty map */
    public static RsnaResult evaluate(RawDetections raw, Map<String, List<Box>> groundTruth, PostProcess settings,
            Map<String, String> classes) {
        return RsnaMetric.evaluate(raw.split(), groundTruthOf(raw, groundTruth), apply(raw, settings), classes);
    }

    /** Post-processed detections per image, in split order. */
    public static Map<String, List<Detection>> apply(RawDetections raw, PostProcess settings) {
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        raw.detections().forEach((id, dets) -> out.put(id, settings.apply(dets)));
        return out;
    }

    /** Ground truth of the split's images, in split order; every image must be labelled. */
    public static Map<String, List<Box>> groundTruthOf(RawDetections raw, Map<String, List<Box>> groundTruth) {
        Map<String, List<Box>> gt = new LinkedHashMap<>();
        for (String id : raw.detections().keySet()) {
            List<Box> boxes = groundTruth.get(id);
            if (boxes == null) {
                throw new IllegalArgumentException("split " + raw.split() + ": image " + id + " has no ground truth");
            }
            gt.put(id, boxes);
        }
        return gt;
    }
}
