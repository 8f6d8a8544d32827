package org.pneumolab.geom;

/** How four numbers describe a box: Kaggle's {@code x,y,width,height} or the two corners. */
public enum BoxFormat {
    /** {@code x, y, width, height} (RSNA CSV files and submissions). */
    XYWH,
    /** {@code x1, y1, x2, y2} corners (what {@link Box} stores). */
    XYXY;

    public Box toBox(double a, double b, double c, double d) {
        return this == XYWH ? Box.fromXywh(a, b, c, d) : new Box(a, b, c, d);
    }

    public double[] toArray(Box box) {
        return this == XYWH ? box.toXywh() : new double[] {box.x1(), box.y1(), box.x2(), box.y2()};
    }
}
