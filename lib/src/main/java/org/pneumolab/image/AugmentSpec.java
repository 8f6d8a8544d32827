package org.pneumolab.image;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * How strongly {@link Augment} perturbs a training image. Each value is a bound on a uniform
 * draw: rotation in [-maxRotationDegrees, +maxRotationDegrees], scale in
 * [1 - maxScaleChange, 1 + maxScaleChange], brightness shift in [-maxBrightness, +maxBrightness]
 * of the full 0..255 range, contrast factor in [1 - maxContrast, 1 + maxContrast], shift in
 * [-maxShift, +maxShift] of the image's width (x) and height (y), drawn separately per axis.
 */
public record AugmentSpec(double flipProbability, double maxRotationDegrees, double maxScaleChange,
                          double maxBrightness, double maxContrast, double maxShift) {

    public AugmentSpec {
        if (flipProbability < 0 || flipProbability > 1) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
        if (maxRotationDegrees < 0 || maxScaleChange < 0 || maxScaleChange >= 1 || maxBrightness < 0
                || maxContrast < 0 || maxContrast >= 1 || maxShift < 0 || maxShift >= 0.5) {
            throw new IllegalArgumentException("augmentation bounds must be >= 0 (scale and contrast < 1, shift < 0.5): " + this);
        }
    }

    /** No augmentation (evaluation). */
    public static AugmentSpec none() {
        return new AugmentSpec(0, 0, 0, 0, 0, 0);
    }

    /**
     * Small perturbations that keep a chest X-ray plausible: flip half the time, up to 5 degrees,
     * 10 % scale, 10 % brightness and contrast. Flipping moves the heart to the right, which
     * radiologists never see, but both case studies' references flip and the lungs' opacity
     * patterns are left-right symmetric enough for it to help.
     */
    public static AugmentSpec mild() {
        return new AugmentSpec(0.5, 5, 0.1, 0.1, 0.1, 0);
    }

    /**
     * Detector training in the paper profile, close to the case study's keras-retinanet
     * {@code --random-transform}: horizontal flip half the time, scale 0.9-1.1, shift up to 10 %
     * of each side, brightness and contrast +-10 %. Left out of keras-retinanet's set: vertical
     * flips (a chest is never upside down), rotation and shear (a rotated box's bounding box
     * grows, so the target would no longer hug the opacity).
     */
    public static AugmentSpec detection() {
        return new AugmentSpec(0.5, 0, 0.1, 0.1, 0.1, 0.1);
    }

    public boolean isNone() {
        return flipProbability == 0 && maxRotationDegrees == 0 && maxScaleChange == 0
                && maxBrightness == 0 && maxContrast == 0 && maxShift == 0;
    }

    /**
     * Every bound by name, in a fixed order: the {@code augment} object of a run's {@code config.json}
     * and of a study's {@code study.json}. The order and number format are part of every run's
     * identity (the SHA-256 of {@code config.json}), so this is the one place they are written.
     */
    public JsonObject toJson() {
        JsonObject a = new JsonObject();
        a.addProperty("flipProbability", flipProbability);
        a.addProperty("maxRotationDegrees", maxRotationDegrees);
        a.addProperty("maxScaleChange", maxScaleChange);
        a.addProperty("maxBrightness", maxBrightness);
        a.addProperty("maxContrast", maxContrast);
        a.addProperty("maxShift", maxShift);
        return a;
    }

    /** The spec {@link #toJson} wrote; IllegalArgumentException naming a missing field. */
    public static AugmentSpec fromJson(JsonObject a) {
        return new AugmentSpec(field(a, "flipProbability"), field(a, "maxRotationDegrees"), field(a, "maxScaleChange"),
                field(a, "maxBrightness"), field(a, "maxContrast"), field(a, "maxShift"));
    }

    private static double field(JsonObject a, String name) {
        JsonElement e = a.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("augmentation without " + name + ": " + a);
        }
        return e.getAsDouble();
    }
}
