package org.pneumolab.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.pneumolab.synth.Anatomy.Lung;
import org.pneumolab.synth.Finding.Opacity.Puff;

/**
 * Draws findings for a chest: pneumonia-like opacities (adult RSNA style, or the children's
 * bacterial and viral patterns of Kermany) and the non-pneumonia findings of RSNA's
 * "No Lung Opacity / Not Normal" class.
 */
final class FindingSampler {
    /** RSNA stage 2 train: patients with 1, 2, 3 and 4 boxes. */
    private static final int[] RSNA_BOX_COUNTS = {2614, 3266, 119, 13};

    private FindingSampler() {
    }

    /** How many boxes a Lung Opacity patient gets, in RSNA's proportions. */
    static int rsnaBoxCount(Random r) {
        int total = 0;
        for (int c : RSNA_BOX_COUNTS) {
            total += c;
        }
        int pick = r.nextInt(total);
        for (int i = 0; i < RSNA_BOX_COUNTS.length; i++) {
            pick -= RSNA_BOX_COUNTS[i];
            if (pick < 0) {
                return i + 1;
            }
        }
        throw new AssertionError();
    }

    /** Adult consolidations; with two or more, the first two go to different lungs, as they mostly do. */
    static List<Finding> adultOpacities(Random r, Anatomy a, int count) {
        List<Finding> out = new ArrayList<>();
        int firstLung = r.nextInt(2);
        for (int i = 0; i < count; i++) {
            int lung = i < 2 ? (firstLung + i) % 2 : r.nextInt(2);
            // the third and fourth sit in another zone of the lung: upper when the first is lower
            double zone = i < 2 ? Anatomy.uniform(r, -0.1, 0.6) : Anatomy.uniform(r, -0.55, -0.2);
            out.add(cloud(r, a.lungs()[lung], zone, Anatomy.uniform(r, 3, 6), 0.022, 0.045,
                    Anatomy.uniform(r, 0.1, 0.27)));
        }
        return out;
    }

    /** Kermany bacterial pneumonia: one (sometimes two) dense lobar consolidations. */
    static List<Finding> bacterialPneumonia(Random r, Anatomy a) {
        List<Finding> out = new ArrayList<>();
        int count = r.nextDouble() < 0.2 ? 2 : 1;
        int firstLung = r.nextInt(2);
        for (int i = 0; i < count; i++) {
            out.add(cloud(r, a.lungs()[(firstLung + i) % 2], Anatomy.uniform(r, -0.3, 0.55),
                    Anatomy.uniform(r, 4, 8), 0.025, 0.05, Anatomy.uniform(r, 0.14, 0.3)));
        }
        return out;
    }

    /** Kermany viral pneumonia: diffuse, patchy, bilateral and around the hila. */
    static List<Finding> viralPneumonia(Random r, Anatomy a) {
        List<Finding> out = new ArrayList<>();
        for (Lung lung : a.lungs()) {
            List<Puff> puffs = new ArrayList<>();
            int n = 8 + r.nextInt(7);
            double cu = lung.cu() - lung.side() * 0.35 * lung.ru(); // medial: perihilar
            for (int i = 0; i < n; i++) {
                puffs.add(new Puff(cu + Anatomy.uniform(r, -0.5, 0.5) * lung.ru(),
                        lung.cv() + Anatomy.uniform(r, -0.45, 0.5) * lung.rv(),
                        Anatomy.uniform(r, 0.012, 0.026), Anatomy.uniform(r, 0.012, 0.03), Anatomy.uniform(r, 0.5, 1.0)));
            }
            out.add(new Finding.Opacity(puffs, Anatomy.uniform(r, 0.09, 0.18), Anatomy.uniform(r, 14, 22), r.nextLong()));
        }
        return out;
    }

    /**
     * One cloud in {@code lung}; {@code zone} runs from -1 (apex) to 1 (base) of the lung's height.
     */
    private static Finding.Opacity cloud(Random r, Lung lung, double zone, double puffCount,
                                         double sigmaMin, double sigmaMax, double density) {
        double cu = lung.cu() + lung.side() * Anatomy.uniform(r, -0.3, 0.35) * lung.ru();
        double cv = lung.cv() + zone * lung.rv() * 0.8;
        // keep the centre above the diaphragm
        cv = Math.min(cv, lung.dome(cu) - 0.05);
        List<Puff> puffs = new ArrayList<>();
        int n = (int) puffCount;
        for (int i = 0; i < n; i++) {
            puffs.add(new Puff(cu + Anatomy.uniform(r, -0.05, 0.05), cv + Anatomy.uniform(r, -0.07, 0.07),
                    Anatomy.uniform(r, sigmaMin, sigmaMax), Anatomy.uniform(r, sigmaMin * 1.1, sigmaMax * 1.25),
                    Anatomy.uniform(r, 0.6, 1.2)));
        }
        return new Finding.Opacity(puffs, density, Anatomy.uniform(r, 8, 14), r.nextLong());
    }

    /** One or two findings that are abnormal but not pneumonia. */
    static List<Finding> notNormal(Random r, Anatomy a) {
        List<Finding> out = new ArrayList<>();
        int count = r.nextDouble() < 0.35 ? 2 : 1;
        for (int i = 0; i < count; i++) {
            double p = r.nextDouble();
            if (p < 0.28) {
                out.add(nodule(r, a, Anatomy.uniform(r, 0.007, 0.016), Anatomy.uniform(r, 0.22, 0.4)));
            } else if (p < 0.36) {
                out.add(nodule(r, a, Anatomy.uniform(r, 0.025, 0.045), Anatomy.uniform(r, 0.18, 0.28)));
            } else if (p < 0.56) {
                out.addAll(tubes(r, a));
            } else if (p < 0.72) {
                out.addAll(wires(r, a));
            } else if (p < 0.8) {
                out.addAll(pacemaker(r, a));
            } else {
                out.add(new Finding.BluntedAngle(r.nextInt(2), Anatomy.uniform(r, 0.04, 0.08)));
            }
        }
        return out;
    }

    /** Lines and devices, which very ill (mostly AP) patients with pneumonia also have. */
    static List<Finding> supportDevices(Random r, Anatomy a) {
        return r.nextBoolean() ? tubes(r, a) : wires(r, a);
    }

    private static Finding.Nodule nodule(Random r, Anatomy a, double radius, double density) {
        Lung lung = a.lungs()[r.nextInt(2)];
        double u = lung.cu() + Anatomy.uniform(r, -0.5, 0.5) * lung.ru();
        double v = Math.min(lung.cv() + Anatomy.uniform(r, -0.6, 0.5) * lung.rv(), lung.dome(u) - 2 * radius);
        return new Finding.Nodule(u, v, radius, density);
    }

    /** An endotracheal tube to above the carina, and often a nasogastric tube to the stomach. */
    private static List<Finding> tubes(Random r, Anatomy a) {
        List<Finding> out = new ArrayList<>();
        double tip = a.heartV() - a.heartRv() - Anatomy.uniform(r, 0.08, 0.14);
        double x = 0.5 + Anatomy.uniform(r, -0.01, 0.01);
        out.add(new Finding.Line(new double[] {x + 0.01, x, x}, new double[] {-0.2, 0.1, tip},
                0.009, Anatomy.uniform(r, 0.25, 0.35), true));
        if (r.nextDouble() < 0.6) {
            double stomach = a.lungs()[1].dome(a.lungs()[1].cu()) + 0.08;
            out.add(new Finding.Line(new double[] {0.49, 0.485, 0.49, 0.53, 0.6, 0.63},
                    new double[] {-0.2, 0.2, 0.5, stomach - 0.05, stomach, stomach + 0.04},
                    0.0055, Anatomy.uniform(r, 0.25, 0.35), true));
        }
        return out;
    }

    /** ECG leads: thin wandering wires ending in ring electrodes. */
    private static List<Finding> wires(Random r, Anatomy a) {
        List<Finding> out = new ArrayList<>();
        int n = 2 + r.nextInt(2);
        for (int w = 0; w < n; w++) {
            int points = 6;
            double[] us = new double[points];
            double[] vs = new double[points];
            us[0] = Anatomy.uniform(r, 0.2, 0.8);
            vs[0] = Anatomy.uniform(r, 0.15, 0.7);
            double angle = r.nextDouble() * 2 * Math.PI;
            for (int i = 1; i < points; i++) {
                angle += Anatomy.uniform(r, -0.6, 0.6);
                us[i] = us[i - 1] + 0.08 * Math.cos(angle);
                vs[i] = vs[i - 1] + 0.08 * Math.sin(angle);
            }
            out.add(new Finding.Line(us, vs, 0.0028, Anatomy.uniform(r, 0.35, 0.55), false));
            out.add(new Finding.Device(us[0], vs[0], 0.02, 0.02, Anatomy.uniform(r, 0.35, 0.5), true));
        }
        return out;
    }

    /** A pacemaker generator below the left clavicle with its lead into the heart. */
    private static List<Finding> pacemaker(Random r, Anatomy a) {
        double u = Anatomy.uniform(r, 0.68, 0.76);
        double v = a.clavicleV() + Anatomy.uniform(r, 0.04, 0.08);
        double hu = a.heartU() - 0.02;
        double hv = a.heartV() + 0.02;
        return List.of(
                new Finding.Device(u, v, Anatomy.uniform(r, 0.04, 0.055), Anatomy.uniform(r, 0.03, 0.04), 0.9, false),
                new Finding.Line(new double[] {u - 0.02, 0.58, 0.52, hu, hu + 0.05},
                        new double[] {v, v - 0.02, v + 0.1, hv - 0.05, hv}, 0.0035, 0.6, false));
    }
}
