package org.pneumolab.geom;

import java.util.ArrayList;
import java.util.List;

/**
 * The pixel grid a box is measured in, e.g. the original 1024 x 1024 RSNA image or the 224 x 224
 * model input. Boxes move between spaces with {@link #convert}; mixing spaces silently is the
 * classic way to lose a factor 4.6 in mAP.
 */
public record CoordinateSpace(int width, int height) {
    /** The RSNA images as published. */
    public static final CoordinateSpace RSNA_ORIGINAL = new CoordinateSpace(1024, 1024);

    public CoordinateSpace {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
    }

    public static CoordinateSpace square(int size) {
        return new CoordinateSpace(size, size);
    }

    /** {@code box}, measured in this space, measured in {@code target}. */
    public Box convert(Box box, CoordinateSpace target) {
        return box.scale((double) target.width / width, (double) target.height / height);
    }

    public List<Box> convertAll(List<Box> boxes, CoordinateSpace target) {
        List<Box> out = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            out.add(convert(b, target));
        }
        return out;
    }

    public Detection convert(Detection d, CoordinateSpace target) {
        return d.withBox(convert(d.box(), target));
    }

    public Box clip(Box box) {
        return box.clip(width, height);
    }
}
