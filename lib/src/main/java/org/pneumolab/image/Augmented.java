package org.pneumolab.image;

import java.util.List;

import org.pneumolab.geom.Box;

/** An augmented image and its boxes moved with it (boxes pushed wholly outside are dropped). */
public record Augmented(GrayImage image, List<Box> boxes) {
    public Augmented {
        boxes = List.copyOf(boxes);
    }
}
