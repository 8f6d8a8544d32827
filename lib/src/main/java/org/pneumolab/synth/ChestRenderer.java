package org.pneumolab.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;

import org.pneumolab.synth.Anatomy.Lung;

/**
 * Draws chest-radiograph-like 8-bit grayscale images from a {@link ChestCase}.
 *
 * <p>Densities (bright = dense, as on film) are computed per pixel on a raster of at most
 * {@value #MAX_INTERNAL} pixels a side, in body coordinates after the patient's rotation and
 * shift: air, soft tissue thicker in the middle, two dark lung fields with vascular markings,
 * spine, posterior ribs, clavicles, heart and diaphragm, then the findings. The raster is tone
 * mapped (the film's exposure) and enlarged bilinearly to the requested size, where per-pixel
 * noise is added; anatomy is smooth at that scale, so nothing is lost by the enlargement and a
 * 2000-pixel film costs little more than a small one.
 *
 * <p>Each opacity's true box is the extent of its cloud (where it reaches a fifth of its peak),
 * widened a little on every side the way RSNA's readers drew generous boxes.
 */
public final class ChestRenderer {
    static final int MAX_INTERNAL = 400;
    private static final double AIR = 0.02;
    /** A cloud's box covers where it is at least this fraction of its own peak. */
    private static final double BOX_LEVEL = 0.2;
    /** Extra margin around the cloud, as a fraction of the box size, per side. */
    private static final double BOX_MARGIN = 0.07;

    /** An image and the true boxes of its opacities (empty when it has none). */
    public record Rendering(BufferedImage image, List<LabelBox> boxes) {
    }

    public Rendering render(ChestCase c, int width, int height) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("image too small to draw a chest: " + width + "x" + height);
        }
        double f = Math.min(1.0, (double) MAX_INTERNAL / Math.max(width, height));
        int wi = Math.max(8, (int) Math.round(width * f));
        int hi = Math.max(8, (int) Math.round(height * f));
        double fx = (double) width / wi;
        double fy = (double) height / hi;

        List<Finding.Opacity> opacities = new ArrayList<>();
        List<ValueNoise> opacityNoise = new ArrayList<>();
        List<double[]> opacityBounds = new ArrayList<>();
        for (Finding finding : c.findings()) {
            if (finding instanceof Finding.Opacity o) {
                opacities.add(o);
                opacityNoise.add(new ValueNoise(o.textureSeed()));
                opacityBounds.add(new double[] {o.uMin(), o.uMax(), o.vMin(), o.vMax()});
            }
        }
        float[][] clouds = new float[opacities.size()][wi * hi];
        float[] tone = new float[wi * hi];

        Anatomy a = c.anatomy();
        ValueNoise markings = new ValueNoise(c.textureSeed());
        ValueNoise mottle = new ValueNoise(c.textureSeed() ^ 0x5DEECE66DL);
        double s = c.bodyScale() * Math.min(width, height);
        double cos = Math.cos(Math.toRadians(c.rotationDegrees()));
        double sin = Math.sin(Math.toRadians(c.rotationDegrees()));
        for (int y = 0; y < hi; y++) {
            for (int x = 0; x < wi; x++) {
                double dx = (x + 0.5) * fx - width / 2.0;
                double dy = (y + 0.5) * fy - height / 2.0;
                double u = 0.5 + (dx * cos + dy * sin) / s - c.shiftU();
                double v = 0.5 + (-dx * sin + dy * cos) / s - c.shiftV();
                int i = y * wi + x;
                double lungRaw = lungMask(a, c.findings(), u, v);
                double d = anatomy(a, u, v, lungRaw, markings);
                for (int k = 0; k < opacities.size(); k++) {
                    Finding.Opacity o = opacities.get(k);
                    double[] b = opacityBounds.get(k);
                    if (u >= b[0] && u <= b[1] && v >= b[2] && v <= b[3]) {
                        double cloud = o.at(u, v, opacityNoise.get(k)) * Math.min(1, lungRaw * 1.25);
                        clouds[k][i] = (float) cloud;
                        d += cloud;
                    }
                }
                d += otherFindings(c.findings(), u, v);
                d *= 0.97 + 0.06 * mottle.at(u * 40, v * 40);
                double g = c.brightness() + c.contrast() * Math.pow(Math.max(0, d), c.gamma());
                tone[i] = (float) (255 * g);
            }
        }
        BufferedImage image = enlarge(tone, wi, hi, width, height, c.noiseSigma(), c.textureSeed());
        List<LabelBox> boxes = new ArrayList<>();
        for (float[] cloud : clouds) {
            LabelBox box = boxOf(cloud, wi, hi, fx, fy, width, height);
            if (box != null) {
                boxes.add(box);
            }
        }
        return new Rendering(image, List.copyOf(boxes));
    }

    /** Lung membership, with the heart and any pleural fluid taken out. */
    private static double lungMask(Anatomy a, List<Finding> findings, double u, double v) {
        double best = 0;
        for (int li = 0; li < a.lungs().length; li++) {
            Lung lung = a.lungs()[li];
            double m = lung.mask(u, v);
            if (m <= 0) {
                continue;
            }
            for (Finding f : findings) {
                if (f instanceof Finding.BluntedAngle b && b.lung() == li) {
                    double lat = lung.lateralness(u);
                    double surface = lung.bottom() - b.height() * (0.1 + 0.9 * lat * lat);
                    m *= 1 - Anatomy.smoothstep(-0.004, 0.012, v - surface);
                }
            }
            best = Math.max(best, m);
        }
        return best;
    }

    private static double anatomy(Anatomy a, double u, double v, double lungRaw, ValueNoise markings) {
        double mid = u - 0.5;
        double am = Math.abs(mid);
        // torso outline: neck, shoulders, chest, a slightly narrower abdomen
        double hw = a.neckHalfWidth() + (a.torsoHalfWidth() - a.neckHalfWidth())
                * Anatomy.smoothstep(a.shoulderV() - 0.1, a.shoulderV() + 0.06, v);
        hw *= 1 - 0.08 * Anatomy.smoothstep(0.8, 1.15, v);
        double body = Anatomy.smoothstep(0, 0.025, hw - am);
        if (body <= 0) {
            return AIR;
        }
        double thickness = Math.sqrt(Math.max(0, 1 - (mid / hw) * (mid / hw)));
        double d = AIR + (a.softTissue() * (0.55 + 0.45 * thickness) - AIR) * body;

        // heart: dense, hides the medial part of the left lung
        double hu = (u - a.heartU()) / a.heartRu();
        double hv = (v - a.heartV()) / a.heartRv();
        double heart = Anatomy.smoothstep(0, 0.25, 1 - (hu * hu + hv * hv));
        double lung = lungRaw * (1 - 0.9 * heart);
        if (lung > 0) {
            double hilum = Math.exp(-(mid * mid) / 0.03 - sq(v - a.heartV() + 0.12) / 0.02);
            double vessels = markings.at(u * 24, v * 24) * 0.7 + markings.at(u * 50 + 7.3, v * 50 + 1.9) * 0.3;
            d -= a.lungDepth() * lung * (0.8 + 0.35 * (vessels - 0.5)) * (1 - 0.35 * hilum);
        }

        // spine, with darker disc spaces
        double spine = Anatomy.smoothstep(0, 0.01, a.spineHalfWidth() - am);
        if (spine > 0) {
            double disc = 0.8 + 0.2 * Anatomy.smoothstep(-0.3, 0.3, Math.cos(2 * Math.PI * v / (a.ribSpacing() * 0.9)));
            d += 1.6 * a.boneDensity() * spine * disc;
        }

        // posterior ribs: bands leaving the spine, dipping laterally
        double t = am / a.torsoHalfWidth();
        double chestBottom = a.lungs()[0].bottom() + 0.06;
        if (t > 0.06 && t < 1.05 && v < chestBottom) {
            double fade = Anatomy.smoothstep(1.05, 0.9, t) * Anatomy.smoothstep(0.06, 0.14, t)
                    * Anatomy.smoothstep(chestBottom, chestBottom - 0.08, v);
            double half = a.ribHalfThickness();
            for (int k = 0; k < a.ribCount(); k++) {
                double vc = a.ribFirstV() + k * a.ribSpacing() + a.ribCurve() * t * t * t - 0.035 * t;
                double dist = Math.abs(v - vc);
                if (dist < 1.6 * half) {
                    double band = Anatomy.smoothstep(1.5 * half, 0.8 * half, dist);
                    double cortex = Anatomy.smoothstep(0.5 * half, 0.95 * half, dist) * band;
                    d += a.boneDensity() * fade * (0.8 * band + 0.4 * cortex);
                }
            }
        }

        // clavicles: from the sternal notch outwards and slightly upwards
        double side = Math.signum(mid);
        double dist = segmentDistance(u, v, 0.5 + side * 0.045, a.clavicleV() + 0.015,
                0.5 + side * 0.3, a.clavicleV() - 0.035);
        if (dist < 0.02) {
            d += 1.2 * a.boneDensity() * Anatomy.smoothstep(0.016, 0.009, dist);
        }
        return d;
    }

    private static double otherFindings(List<Finding> findings, double u, double v) {
        double d = 0;
        for (Finding f : findings) {
            if (f instanceof Finding.Nodule n) {
                double q = Math.sqrt(sq(u - n.u()) + sq(v - n.v())) / n.radius();
                if (q < 1.1) {
                    d += n.density() * Anatomy.smoothstep(1.05, 0.85, q);
                }
            } else if (f instanceof Finding.Line l) {
                double dist = polylineDistance(u, v, l.us(), l.vs(), 3 * l.halfWidth());
                if (dist < 2 * l.halfWidth()) {
                    double solid = Anatomy.smoothstep(l.halfWidth(), 0.6 * l.halfWidth(), dist);
                    if (l.hollow()) {
                        double wall = Anatomy.smoothstep(0.25 * l.halfWidth(), 0.15 * l.halfWidth(),
                                Math.abs(dist - 0.75 * l.halfWidth()));
                        d += l.density() * (0.35 * solid + 0.65 * wall);
                    } else {
                        d += l.density() * solid;
                    }
                }
            } else if (f instanceof Finding.Device dev) {
                double du = (u - dev.u()) / dev.ru();
                double dv = (v - dev.v()) / dev.rv();
                if (dev.ring()) {
                    double r = Math.sqrt(du * du + dv * dv);
                    d += dev.density() * (Anatomy.smoothstep(0.35, 0.2, Math.abs(r - 0.8)) + (r < 0.45 ? 0.6 : 0));
                } else {
                    double q = du * du * du * du + dv * dv * dv * dv; // a rounded rectangle
                    d += dev.density() * Anatomy.smoothstep(1.1, 0.9, q);
                }
            }
        }
        return d;
    }

    /** Bilinear enlargement with film noise; clamps to 8 bits. */
    private static BufferedImage enlarge(float[] tone, int wi, int hi, int width, int height, double sigma, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        long state = FrozenSampleSeeds.mix(seed ^ 0x2545F4914F6CDD1DL) | 1;
        double sx = (double) wi / width;
        double sy = (double) hi / height;
        for (int y = 0; y < height; y++) {
            double gy = Math.max(0, Math.min(hi - 1.001, (y + 0.5) * sy - 0.5));
            int y0 = (int) gy;
            double ty = gy - y0;
            int row0 = y0 * wi;
            int row1 = row0 + wi;
            for (int x = 0; x < width; x++) {
                double gx = Math.max(0, Math.min(wi - 1.001, (x + 0.5) * sx - 0.5));
                int x0 = (int) gx;
                double tx = gx - x0;
                double top = tone[row0 + x0] + (tone[row0 + x0 + 1] - tone[row0 + x0]) * tx;
                double bottom = tone[row1 + x0] + (tone[row1 + x0 + 1] - tone[row1 + x0]) * tx;
                // approximately Gaussian noise: sum of three uniforms from xorshift64
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                double n = ((state & 0xFFFFF) + ((state >>> 20) & 0xFFFFF) + ((state >>> 40) & 0xFFFFF)) / (double) 0xFFFFF - 1.5;
                double g = top + (bottom - top) * ty + sigma * 2 * n;
                out[y * width + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(g)));
            }
        }
        return img;
    }

    private static LabelBox boxOf(float[] cloud, int wi, int hi, double fx, double fy, int width, int height) {
        float peak = 0;
        for (float c : cloud) {
            peak = Math.max(peak, c);
        }
        if (peak <= 0) {
            return null; // the cloud fell entirely outside the lungs (cannot happen for sampled clouds)
        }
        float level = (float) (BOX_LEVEL * peak);
        int x0 = wi;
        int y0 = hi;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < hi; y++) {
            for (int x = 0; x < wi; x++) {
                if (cloud[y * wi + x] >= level) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        double left = x0 * fx;
        double right = (x1 + 1) * fx;
        double top = y0 * fy;
        double bottom = (y1 + 1) * fy;
        double mx = BOX_MARGIN * (right - left) + 2 * fx;
        double my = BOX_MARGIN * (bottom - top) + 2 * fy;
        // whole pixels, as RSNA's boxes are
        double bx0 = Math.max(0, Math.floor(left - mx));
        double by0 = Math.max(0, Math.floor(top - my));
        double bx1 = Math.min(width, Math.ceil(right + mx));
        double by1 = Math.min(height, Math.ceil(bottom + my));
        return new LabelBox(bx0, by0, bx1 - bx0, by1 - by0);
    }

    private static double polylineDistance(double u, double v, double[] us, double[] vs, double reach) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i + 1 < us.length; i++) {
            if (u < Math.min(us[i], us[i + 1]) - reach || u > Math.max(us[i], us[i + 1]) + reach
                    || v < Math.min(vs[i], vs[i + 1]) - reach || v > Math.max(vs[i], vs[i + 1]) + reach) {
                continue;
            }
            best = Math.min(best, segmentDistance(u, v, us[i], vs[i], us[i + 1], vs[i + 1]));
        }
        return best;
    }

    static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double vx = bx - ax;
        double vy = by - ay;
        double len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
        double ex = px - ax - t * vx;
        double ey = py - ay - t * vy;
        return Math.sqrt(ex * ex + ey * ey); // not Math.hypot: it is many times slower, and no overflow is possible here
    }

    private static double sq(double x) {
        return x * x;
    }
}
