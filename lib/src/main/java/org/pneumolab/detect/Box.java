package org.pneumolab.detect;

/**
 * An axis-aligned box by its corners {@code (x1, y1)} top-left and {@code (x2, y2)} bottom-right,
 * in pixels of some image (see {@link CoordinateSpace}). Kaggle's RSNA files use
 * {@code x, y, width, height}; {@link #fromXywh} and {@link #toXywh} convert.
 */
public record Box(double x1, double y1, double x2, double y2) {
    public Box {
        if (!(Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2))) {
            throw new IllegalArgumentException("box corners must be finite: " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException("box corners out of order (x2 < x1 or y2 < y1): "
                    + x1 + "," + y1 + "," + x2 + "," + y2);
        }
    }

    public static Box fromXywh(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    /** A box of the given size centred at {@code (cx, cy)}. */
    public static Box fromCentre(double cx, double cy, double w, double h) {
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    /** {@code {x, y, width, height}} as in Kaggle's CSV files. */
    public double[] toXywh() {
        return new double[] {x1, y1, width(), height()};
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double area() {
        return width() * height();
    }

    public double centreX() {
        return (x1 + x2) / 2;
    }

    public double centreY() {
        return (y1 + y2) / 2;
    }

    /**
     * The box scaled by {@code factor} about its centre. Factor 0.875 is the RSNA winners' trick:
     * the predicted boxes were systematically larger than the radiologists' ones.
     */
    public Box scaledAboutCentre(double factor) {
        if (!(factor >= 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("scale factor must be finite and >= 0: " + factor);
        }
        return fromCentre(centreX(), centreY(), width() * factor, height() * factor);
    }

    /** The part of the box inside an image of {@code width x height} pixels (may become empty). */
    public Box clip(double width, double height) {
        double cx1 = clamp(x1, 0, width);
        double cy1 = clamp(y1, 0, height);
        double cx2 = clamp(x2, 0, width);
        double cy2 = clamp(y2, 0, height);
        return new Box(cx1, cy1, cx2, cy2);
    }

    /** The same box in another image size: x scaled by {@code sx}, y by {@code sy}. */
    public Box scale(double sx, double sy) {
        return new Box(x1 * sx, y1 * sy, x2 * sx, y2 * sy);
    }

    public double intersection(Box o) {
        double w = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        double h = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** Intersection over union; 0 when both boxes are empty. */
    public double iou(Box o) {
        double inter = intersection(o);
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
