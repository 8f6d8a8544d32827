package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * One detector's raw detections on one split, as the ensemble sweep sees them: the images as they
 * are and, for flip test-time augmentation, the images mirrored left-right with the boxes mapped
 * back to the original pixels ({@link SweepStudy#rawMirrored}).
 *
 * @param name     the detector's name in tables and sentences, e.g. "RetinaNet"
 * @param plain    raw detections of the images
 * @param mirrored raw detections of the mirrored images, or null when there are none (no flip TTA)
 */
public record Source(String name, RawDetections plain, RawDetections mirrored) {
    public Source {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a detection source needs a name");
        }
        if (plain == null) {
            throw new IllegalArgumentException("source " + name + " has no raw detections");
        }
        if (mirrored != null && !mirrored.split().equals(plain.split())) {
            throw new IllegalArgumentException("source " + name + ": plain detections of split '" + plain.split()
                    + "' but mirrored ones of '" + mirrored.split() + "'");
        }
    }

    public static Source of(String name, RawDetections plain) {
        return new Source(name, plain, null);
    }

    public String split() {
        return plain.split();
    }

    public boolean hasMirrored() {
        return mirrored != null;
    }

    /** The views an ensemble takes from this source: the plain one, and the mirrored one with flip TTA. */
    List<RawDetections> views(boolean flip) {
        if (flip && mirrored == null) {
            throw new IllegalArgumentException("source " + name + " has no detections of mirrored images for flip TTA");
        }
        List<RawDetections> v = new ArrayList<>(2);
        v.add(plain);
        if (flip) {
            v.add(mirrored);
        }
        return v;
    }
}
