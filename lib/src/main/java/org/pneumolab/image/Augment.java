package org.pneumolab.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.pneumolab.geom.Box;

/**
 * Box-aware augmentation. The geometric part (horizontal flip, rotation, scale, all about the
 * image centre, then a shift) maps every pixel and every box corner through the same transform; a rotated box
 * becomes the bounding box of its rotated corners, clipped to the image. The photometric part
 * (brightness, contrast) leaves boxes alone. Randomness comes only from the {@link Random}
 * passed in, so a seeded caller gets the same result every time.
 */
public final class Augment {
    /** Boxes thinner than this after clipping (in pixels) have left the image and are dropped. */
    static final double MIN_BOX_SIDE = 1.0;

    private Augment() {
    }

    /** Draws the parameters from {@code spec} and applies them. */
    public static Augmented apply(GrayImage img, List<Box> boxes, AugmentSpec spec, Random rnd) {
        boolean flip = rnd.nextDouble() < spec.flipProbability();
        double degrees = uniform(rnd, spec.maxRotationDegrees());
        double scale = 1 + uniform(rnd, spec.maxScaleChange());
        double brightness = uniform(rnd, spec.maxBrightness());
        double contrast = 1 + uniform(rnd, spec.maxContrast());
        // drawn last, so specs without a shift keep the draws (and results) they had before shifts existed
        double dx = uniform(rnd, spec.maxShift()) * img.width();
        double dy = uniform(rnd, spec.maxShift()) * img.height();
        Augmented geo = geometric(img, boxes, flip, degrees, scale, dx, dy);
        return new Augmented(photometric(geo.image(), brightness, contrast), geo.boxes());
    }

    private static double uniform(Random rnd, double bound) {
        // Always draw, so the sequence of draws does not depend on which bounds are zero.
        double u = rnd.nextDouble() * 2 - 1;
        return u * bound;
    }

    /**
     * Flip (mirror x), then rotate by {@code degrees} clockwise as displayed (y points down),
     * then scale, all about the image centre. Uncovered pixels become 0.
     */
    public static Augmented geometric(GrayImage img, List<Box> boxes, boolean flip, double degrees, double scale) {
        return geometric(img, boxes, flip, degrees, scale, 0, 0);
    }

    /** As {@link #geometric(GrayImage, List, boolean, double, double)}, then shifted by {@code (dx, dy)} pixels. */
    public static Augmented geometric(GrayImage img, List<Box> boxes, boolean flip, double degrees, double scale,
                                      double dx, double dy) {
        int w = img.width();
        int h = img.height();
        Affine forward = Affine.about(w / 2.0, h / 2.0, flip, w, Math.toRadians(degrees), scale).shifted(dx, dy);
        GrayImage out = (flip || degrees != 0 || scale != 1 || dx != 0 || dy != 0) ? warp(img, forward) : img.copy();
        List<Box> moved = new ArrayList<>();
        for (Box b : boxes) {
            Box m = mapBox(b, forward, w, h);
            if (m.width() >= MIN_BOX_SIDE && m.height() >= MIN_BOX_SIDE) {
                moved.add(m);
            }
        }
        return new Augmented(out, moved);
    }

    /** {@code v' = (v - 127.5) * contrast + 127.5 + brightness * 255}, clamped to 0..255. */
    public static GrayImage photometric(GrayImage img, double brightness, double contrast) {
        if (brightness == 0 && contrast == 1) {
            return img;
        }
        float[] src = img.pixels();
        float[] out = new float[src.length];
        double shift = 127.5 + brightness * 255;
        for (int i = 0; i < src.length; i++) {
            out[i] = (float) Math.max(0, Math.min(255, (src[i] - 127.5) * contrast + shift));
        }
        return new GrayImage(img.width(), img.height(), out);
    }

    static Box mapBox(Box b, Affine f, int w, int h) {
        double[] xs = {b.x1(), b.x2(), b.x2(), b.x1()};
        double[] ys = {b.y1(), b.y1(), b.y2(), b.y2()};
        double x1 = Double.POSITIVE_INFINITY, y1 = Double.POSITIVE_INFINITY;
        double x2 = Double.NEGATIVE_INFINITY, y2 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 4; i++) {
            double px = f.x(xs[i], ys[i]);
            double py = f.y(xs[i], ys[i]);
            x1 = Math.min(x1, px);
            y1 = Math.min(y1, py);
            x2 = Math.max(x2, px);
            y2 = Math.max(y2, py);
        }
        return new Box(clamp(x1, w), clamp(y1, h), clamp(x2, w), clamp(y2, h));
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** Inverse mapping: each target pixel centre is sampled bilinearly at its source position. */
    private static GrayImage warp(GrayImage img, Affine forward) {
        Affine inv = forward.inverse();
        int w = img.width();
        int h = img.height();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double cx = x + 0.5;
                double cy = y + 0.5;
                out[y * w + x] = sample(img, inv.x(cx, cy) - 0.5, inv.y(cx, cy) - 0.5);
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Bilinear sample at pixel-index coordinates; 0 outside the image. */
    private static float sample(GrayImage img, double sx, double sy) {
        int w = img.width();
        int h = img.height();
        if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) {
            return 0;
        }
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        int xa = Math.max(0, Math.min(w - 1, x0));
        int xb = Math.max(0, Math.min(w - 1, x0 + 1));
        int ya = Math.max(0, Math.min(h - 1, y0));
        int yb = Math.max(0, Math.min(h - 1, y0 + 1));
        double top = img.get(xa, ya) * (1 - fx) + img.get(xb, ya) * fx;
        double bottom = img.get(xa, yb) * (1 - fx) + img.get(xb, yb) * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** A 2-D affine map {@code (x, y) -> (a x + b y + c, d x + e y + f)} in continuous pixel coordinates. */
    record Affine(double a, double b, double c, double d, double e, double f) {

        /** Flip about the vertical centre line, then rotate and scale about (cx, cy). */
        static Affine about(double cx, double cy, boolean flip, int width, double radians, double scale) {
            // flip: x -> width - x
            double fa = flip ? -1 : 1;
            double fc = flip ? width : 0;
            double cos = Math.cos(radians) * scale;
            double sin = Math.sin(radians) * scale;
            // p' = c + R s (F(p) - c), R = [[cos, -sin], [sin, cos]] (clockwise on screen, y down)
            double a = cos * fa;
            double b = -sin;
            double c = cx + cos * (fc - cx) - sin * (0 - cy);
            double d = sin * fa;
            double e = cos;
            double f = cy + sin * (fc - cx) + cos * (0 - cy);
            return new Affine(a, b, c, d, e, f);
        }

        Affine shifted(double dx, double dy) {
            return new Affine(a, b, c + dx, d, e, f + dy);
        }

        double x(double px, double py) {
            return a * px + b * py + c;
        }

        double y(double px, double py) {
            return d * px + e * py + f;
        }

        Affine inverse() {
            double det = a * e - b * d;
            double ia = e / det;
            double ib = -b / det;
            double id = -d / det;
            double ie = a / det;
            return new Affine(ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f));
        }
    }
}
