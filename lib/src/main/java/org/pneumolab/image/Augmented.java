package org.pneumolab.image;

import org.pneumolab.detect.Box;

import java.util.List;

/** An augmented image and its boxes moved with it (boxes pushed wholly outside are dropped). */
public record Augmented(GrayImage image, List<Box> boxes) {
    public Augmented {
        boxes = List.copyOf(boxes);
    }
}
