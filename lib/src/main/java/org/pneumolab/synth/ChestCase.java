package org.pneumolab.synth;

import java.util.List;
import java.util.Random;

/**
 * Everything needed to draw one radiograph: the patient's anatomy, how they stood in front of
 * the detector, how the film was exposed, and the findings. Rendering a case is deterministic:
 * the {@code textureSeed} drives lung markings and film noise.
 *
 * @param rotationDegrees in-plane rotation of the patient
 * @param shiftU shiftV   offset of the body from the image centre, in body units
 * @param bodyScale       body-frame side as a fraction of the image's shorter side
 * @param contrast brightness gamma how densities map to gray levels
 * @param noiseSigma      film/detector noise, in gray levels
 */
public record ChestCase(Anatomy anatomy, double rotationDegrees, double shiftU, double shiftV, double bodyScale,
                        double contrast, double brightness, double gamma, double noiseSigma,
                        List<Finding> findings, long textureSeed) {

    public ChestCase {
        findings = List.copyOf(findings);
    }

    /** The same film without any findings: what the patient would look like healthy. */
    public ChestCase withoutFindings() {
        return withFindings(List.of());
    }

    ChestCase withFindings(List<Finding> replacement) {
        return new ChestCase(anatomy, rotationDegrees, shiftU, shiftV, bodyScale, contrast, brightness, gamma,
                noiseSigma, replacement, textureSeed);
    }

    /** How many findings are pneumonia-like opacities (each gets one true box). */
    public long opacityCount() {
        return findings.stream().filter(f -> f instanceof Finding.Opacity).count();
    }

    /** Draws pose and exposure; portable AP films are noisier, flatter and less well aligned. */
    static ChestCase random(Random r, Anatomy anatomy, boolean apView, List<Finding> findings) {
        boolean child = anatomy.population() == Population.CHILD;
        double rot = Anatomy.uniform(r, -1, 1) * (apView || child ? 4.5 : 2.5);
        double shift = apView || child ? 0.04 : 0.025;
        double scale = child ? Anatomy.uniform(r, 0.72, 0.9) : Anatomy.uniform(r, 0.94, 1.04);
        double contrast = Anatomy.uniform(r, 0.95, 1.25) * (apView ? 0.9 : 1.0);
        double brightness = Anatomy.uniform(r, -0.08, 0.04);
        double gamma = Anatomy.uniform(r, 0.8, 1.25);
        double noise = Anatomy.uniform(r, 1.5, 3.5) * (apView ? 1.3 : 1.0);
        return new ChestCase(anatomy, rot, Anatomy.uniform(r, -shift, shift), Anatomy.uniform(r, -shift, shift) * 0.7,
                scale, contrast, brightness, gamma, noise, findings, r.nextLong());
    }
}
