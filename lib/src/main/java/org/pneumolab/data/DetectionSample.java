package org.pneumolab.data;

import java.nio.file.Path;
import java.util.List;

import org.pneumolab.geom.Box;

/** An image to feed a detector and its ground-truth boxes in the image's own pixels (may be empty). */
public record DetectionSample(String id, Path image, List<Box> boxes) {
    public DetectionSample {
        boxes = List.copyOf(boxes);
    }
}
