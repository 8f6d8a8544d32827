package org.pneumolab.synth;

import java.util.Random;

/**
 * One patient's chest geometry in body coordinates: {@code u} runs left to right across the
 * image (0..1; the image's left is the patient's right), {@code v} top to bottom (0..1).
 * Lungs are ellipses narrowed at the apex and cut from below by a diaphragm dome; the cut's
 * lateral corner is the costophrenic angle.
 *
 * @param lungs          index 0 the image-left (patient's right) lung, 1 the image-right one
 * @param torsoHalfWidth half the chest width at the lung bases
 * @param heartU heartV heartRu heartRv the heart shadow ellipse (bigger on AP films and in children)
 * @param ribFirstV ribSpacing ribHalfThickness the posterior ribs' layout
 */
record Anatomy(Lung[] lungs, double torsoHalfWidth, double neckHalfWidth, double shoulderV,
               double heartU, double heartV, double heartRu, double heartRv, double spineHalfWidth,
               double ribFirstV, double ribSpacing, double ribHalfThickness, int ribCount, double ribCurve,
               double clavicleV, double softTissue, double lungDepth, double boneDensity,
               Population population) {

    /** One lung field. {@code side} is -1 for the image-left lung, +1 for the image-right one. */
    record Lung(int side, double cu, double cv, double ru, double rv, double domeTop) {

        double top() {
            return cv - rv;
        }

        /** Lowest point of the field: the costophrenic angle, at the lateral end of the dome. */
        double bottom() {
            return cv + rv;
        }

        /** The diaphragm under this lung: highest slightly medial of centre, lowest at the lateral angle. */
        double dome(double u) {
            double t = (u - (cu - side * 0.15 * ru)) / (1.15 * ru);
            return domeTop + (bottom() - domeTop) * t * t;
        }

        /** Soft membership in [0, 1]: 1 well inside the field, 0 outside. */
        double mask(double u, double v) {
            double dy = (v - cv) / rv;
            if (dy < -1 || dy > 1.05) {
                return 0;
            }
            // a rounded, narrower apex; below the middle the walls run almost straight down
            double taper = 0.7 + 0.3 * smoothstep(-1.0, -0.1, dy);
            double dx = (u - cu) / (ru * taper);
            double e = dx * dx + (dy < 0 ? dy * dy : 0.25 * dy * dy);
            if (e >= 1) {
                return 0;
            }
            double inside = smoothstep(0, 0.10, 1 - e);
            double aboveDome = smoothstep(0, 0.018, dome(u) - v);
            return inside * aboveDome;
        }

        /** How lateral a point is within this lung, 0 at the centre line, 1 at the lateral wall. */
        double lateralness(double u) {
            return Math.max(0, Math.min(1, side * (u - cu) / ru));
        }
    }

    static Anatomy random(Random r, Population population, boolean apView) {
        boolean child = population == Population.CHILD;
        double torso = child ? uniform(r, 0.40, 0.46) : uniform(r, 0.44, 0.5);
        double lungCv = child ? uniform(r, 0.44, 0.48) : uniform(r, 0.44, 0.49);
        double lungRv = child ? uniform(r, 0.25, 0.29) : uniform(r, 0.29, 0.33);
        double lungOffset = uniform(r, 0.17, 0.20);
        double lungRu = uniform(r, 0.135, 0.16);
        double asym = uniform(r, 0.01, 0.035); // the right dome sits higher, the liver below it
        double domeTop = lungCv + uniform(r, 0.45, 0.6) * lungRv;
        Lung right = new Lung(-1, 0.5 - lungOffset, lungCv, lungRu, lungRv, domeTop - asym);
        Lung left = new Lung(+1, 0.5 + lungOffset + uniform(r, -0.01, 0.01), lungCv + uniform(r, 0, 0.015),
                lungRu * uniform(r, 0.92, 1.0), lungRv, domeTop);
        double heartScale = (apView ? 1.15 : 1.0) * (child ? 1.15 : 1.0) * uniform(r, 0.9, 1.1);
        int ribCount = child ? 9 : 10;
        double ribFirst = right.top() + uniform(r, 0.0, 0.02);
        double ribSpacing = (right.bottom() - ribFirst) / (ribCount - 0.5) * uniform(r, 0.95, 1.05);
        return new Anatomy(new Lung[] {right, left}, torso, uniform(r, 0.08, 0.11),
                child ? uniform(r, 0.08, 0.14) : uniform(r, 0.0, 0.06),
                0.5 + uniform(r, 0.035, 0.06), lungCv + 0.33 * lungRv, 0.15 * heartScale, 0.12 * heartScale,
                uniform(r, 0.028, 0.038), ribFirst, ribSpacing, uniform(r, 0.009, 0.012) * (child ? 0.85 : 1.0),
                ribCount, uniform(r, 0.14, 0.22), right.top() + uniform(r, -0.01, 0.03),
                uniform(r, 0.5, 0.6), uniform(r, 0.3, 0.38), uniform(r, 0.05, 0.08), population);
    }

    static double uniform(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    static double smoothstep(double edge0, double edge1, double x) {
        double t = (x - edge0) / (edge1 - edge0);
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return 1;
        }
        return t * t * (3 - 2 * t);
    }
}
