package org.pneumolab.detect;

import java.util.List;

import org.pneumolab.geom.Detection;

/** All detections for one image (e.g. one RSNA patientId), in original-image coordinates. */
public record ImageDetections(String imageId, List<Detection> detections) {
    public ImageDetections {
        if (imageId == null || imageId.isEmpty()) {
            throw new IllegalArgumentException("image id must not be empty");
        }
        detections = List.copyOf(detections);
    }
}
