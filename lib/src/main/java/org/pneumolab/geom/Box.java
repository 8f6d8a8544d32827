package org.pneumolab.geom;

/**
 * An axis-aligned box by its corners {@code (x1, y1)} top-left and {@code (x2, y2)} bottom-right,
 * in pixels of some image (a model input relates to its original through {@link ResizeGeometry}). Kaggle's RSNA files use
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
        double[] c = corners();
        BoxOps.scaleAboutCentre(c, 0, factor, c, 0);
        return new Box(c[0], c[1], c[2], c[3]);
    }

    /** The part of the box inside an image of {@code width x height} pixels (may become empty). */
    public Box clip(double width, double height) {
        double cx1 = clamp(x1, 0, width);
        double cy1 = clamp(y1, 0, height);
        double cx2 = clamp(x2, 0, width);
        double cy2 = clamp(y2, 0, height);
        return new Box(cx1, cy1, cx2, cy2);
    }

    /**
     * The box in the horizontally mirrored image of {@code imageWidth} pixels: {@code x -> width - x},
     * so the corners swap. Mirroring twice gives the box back.
     */
    public Box mirroredX(double imageWidth) {
        return new Box(imageWidth - x2, y1, imageWidth - x1, y2);
    }

    /** The same box in another image size: x scaled by {@code sx}, y by {@code sy}. */
    public Box scale(double sx, double sy) {
        return new Box(x1 * sx, y1 * sy, x2 * sx, y2 * sy);
    }

    public double intersection(Box o) {
        return BoxOps.intersection(x1, y1, x2, y2, o.x1, o.y1, o.x2, o.y2);
    }

    /** Intersection over union ({@link BoxOps#iou}); 0 when the boxes do not overlap. */
    public double iou(Box o) {
        return BoxOps.iou(x1, y1, x2, y2, o.x1, o.y1, o.x2, o.y2);
    }

    /** {@code {x1, y1, x2, y2}}, the layout of {@link BoxOps}' flat arrays. */
    public double[] corners() {
        return new double[] {x1, y1, x2, y2};
    }

    /** Boxes packed as flat corners for {@link BoxOps}: box {@code i} at {@code [4*i .. 4*i+3]}. */
    public static double[] pack(java.util.List<Box> boxes) {
        double[] out = new double[4 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            out[4 * i] = b.x1;
            out[4 * i + 1] = b.y1;
            out[4 * i + 2] = b.x2;
            out[4 * i + 3] = b.y2;
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
