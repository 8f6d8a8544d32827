package org.pneumolab.synth;

import java.util.List;

/**
 * Something drawn on top of a chest's anatomy, in body coordinates. Opacities are the
 * pneumonia-like findings (the positives); the rest are the "not normal, no lung opacity"
 * findings RSNA's readers labelled: nodules and masses, tubes, wires and devices, blunted
 * costophrenic angles.
 */
sealed interface Finding {

    /** A fuzzy, cloud-like consolidation: a few Gaussian puffs modulated by fractal noise. */
    record Opacity(List<Puff> puffs, double density, double textureScale, long textureSeed) implements Finding {
        /** One Gaussian lobe of a cloud. */
        record Puff(double u, double v, double sigmaU, double sigmaV, double weight) {
        }

        double uMin() {
            return puffs.stream().mapToDouble(p -> p.u - 3 * p.sigmaU).min().orElseThrow();
        }

        double uMax() {
            return puffs.stream().mapToDouble(p -> p.u + 3 * p.sigmaU).max().orElseThrow();
        }

        double vMin() {
            return puffs.stream().mapToDouble(p -> p.v - 3 * p.sigmaV).min().orElseThrow();
        }

        double vMax() {
            return puffs.stream().mapToDouble(p -> p.v + 3 * p.sigmaV).max().orElseThrow();
        }

        /** Density added at (u, v) before the lung mask is applied; {@code noise} is this cloud's texture. */
        double at(double u, double v, ValueNoise noise) {
            double sum = 0;
            for (Puff p : puffs) {
                double du = (u - p.u) / p.sigmaU;
                double dv = (v - p.v) / p.sigmaV;
                double q = du * du + dv * dv;
                if (q < 9) {
                    sum += p.weight * Math.exp(-0.5 * q);
                }
            }
            if (sum < 1e-3) {
                return 0;
            }
            double fill = 1 - Math.exp(-1.6 * sum); // saturates where lobes overlap, like real consolidation
            double texture = 0.45 + 0.55 * noise.fractal(u * textureScale, v * textureScale);
            return density * fill * texture;
        }
    }

    /** A small sharp round nodule, or a larger mass. */
    record Nodule(double u, double v, double radius, double density) implements Finding {
    }

    /**
     * A tube or wire along a polyline. Hollow tubes show two bright walls, wires are solid.
     */
    record Line(double[] us, double[] vs, double halfWidth, double density, boolean hollow) implements Finding {
    }

    /** A very dense device body: a pacemaker generator or an ECG electrode. */
    record Device(double u, double v, double ru, double rv, double density, boolean ring) implements Finding {
    }

    /** Fluid filling the lateral base of one lung: the costophrenic angle loses its sharp point. */
    record BluntedAngle(int lung, double height) implements Finding {
    }
}
