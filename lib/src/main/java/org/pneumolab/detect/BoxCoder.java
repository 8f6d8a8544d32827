package org.pneumolab.detect;

import org.pneumolab.geom.Box;

/**
 * The standard R-CNN box parametrisation: a box relative to an anchor as
 * {@code (wx*dx/wa, wy*dy/ha, ww*log(w/wa), wh*log(h/ha))}. Decoding clamps {@code dw, dh} at
 * {@code log(1000/16)} so an untrained head cannot produce infinite boxes.
 */
public record BoxCoder(double wx, double wy, double ww, double wh) {
    public static final double CLAMP = Math.log(1000.0 / 16);
    /** RetinaNet and the RPN. */
    public static final BoxCoder UNIT = new BoxCoder(1, 1, 1, 1);
    /** Faster R-CNN's box head. */
    public static final BoxCoder ROI_HEAD = new BoxCoder(10, 10, 5, 5);

    /** Deltas of {@code box} relative to the anchor at {@code anchors[4*i..]}. */
    public double[] encode(Box box, double[] anchors, int i) {
        double aw = anchors[4 * i + 2] - anchors[4 * i];
        double ah = anchors[4 * i + 3] - anchors[4 * i + 1];
        double acx = anchors[4 * i] + aw / 2;
        double acy = anchors[4 * i + 1] + ah / 2;
        double w = Math.max(box.width(), 1e-6);
        double h = Math.max(box.height(), 1e-6);
        return new double[] {
            wx * (box.centreX() - acx) / aw,
            wy * (box.centreY() - acy) / ah,
            ww * Math.log(w / aw),
            wh * Math.log(h / ah)};
    }

    /** The box that {@code deltas[4*j..]} describe relative to anchor {@code i}, as corners into {@code out[4*j..]}. */
    public void decode(double[] deltas, int j, double[] anchors, int i, double[] out) {
        double aw = anchors[4 * i + 2] - anchors[4 * i];
        double ah = anchors[4 * i + 3] - anchors[4 * i + 1];
        double acx = anchors[4 * i] + aw / 2;
        double acy = anchors[4 * i + 1] + ah / 2;
        double dx = deltas[4 * j] / wx;
        double dy = deltas[4 * j + 1] / wy;
        double dw = Math.min(deltas[4 * j + 2] / ww, CLAMP);
        double dh = Math.min(deltas[4 * j + 3] / wh, CLAMP);
        double cx = acx + dx * aw;
        double cy = acy + dy * ah;
        double w = aw * Math.exp(dw);
        double h = ah * Math.exp(dh);
        out[4 * j] = cx - w / 2;
        out[4 * j + 1] = cy - h / 2;
        out[4 * j + 2] = cx + w / 2;
        out[4 * j + 3] = cy + h / 2;
    }

    public Box decode(double[] delta4, Box anchor) {
        double[] a = {anchor.x1(), anchor.y1(), anchor.x2(), anchor.y2()};
        double[] out = new double[4];
        decode(delta4, 0, a, 0, out);
        return new Box(out[0], out[1], out[2], out[3]);
    }
}
