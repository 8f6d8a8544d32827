package org.pneumolab.synth;

/**
 * A true bounding box in Kaggle's form: top-left corner and size, in pixels of the written image.
 */
public record LabelBox(double x, double y, double width, double height) {

    public LabelBox {
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("box needs a positive size: " + width + "x" + height);
        }
    }

    public boolean contains(double px, double py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }

    public double area() {
        return width * height;
    }
}
