package org.pneumolab.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.geom.Detection;

/**
 * Raw detections of one run on one split: per image, every box above the detector's very low
 * threshold, before NMS.
 *
 * @param split      the split's name
 * @param detections per image id, in split order; images the detector could not read are absent
 * @param skipped    "imageId: problem" for each image left out
 */
public record RawDetections(String split, Map<String, List<Detection>> detections, List<String> skipped) {
    public RawDetections {
        Map<String, List<Detection>> copy = new LinkedHashMap<>();
        detections.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        detections = Collections.unmodifiableMap(copy);
        skipped = List.copyOf(skipped);
    }

    public List<String> imageIds() {
        return List.copyOf(detections.keySet());
    }

    public int totalBoxes() {
        return detections.values().stream().mapToInt(List::size).sum();
    }
}
