package org.pneumolab.detect;

/**
 * An axis-aligned box by its corners, in pixels of a named image size. Areas are continuous
 * ({@code width * height}, no "+1"), as in the RSNA competition's evaluation.
 */
public record Box(double x1, double y1, double x2, double y2) {

    public Box {
        if (!(x2 >= x1) || !(y2 >= y1)) {
            throw new IllegalArgumentException("box corners out of order or not numbers: ("
                    + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
        }
    }

    /** From Kaggle's {@code x, y, width, height} (top-left corner and size). */
    public static Box fromXywh(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    /** Kaggle's {@code {x, y, width, height}}. */
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

    /** Intersection over union; 0 when both boxes are empty. */
    public double iou(Box other) {
        double iw = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double ih = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / (area() + other.area() - inter);
    }
}
