package org.pneumolab.synth;

/**
 * One planned Kermany JPEG.
 *
 * @param split       {@code train}, {@code val} or {@code test}
 * @param label       {@code NORMAL} or {@code PNEUMONIA}
 * @param subtype     {@code bacteria}, {@code virus}, or empty for NORMAL
 * @param rgb         written as a 3-channel JPEG (a few real files are)
 * @param patientSeed shared by a patient's images (same anatomy), {@code imageSeed} per image
 */
public record KermanyImage(String split, String label, String fileName, String subtype, int width, int height,
                           boolean rgb, long patientSeed, long imageSeed) {

    public boolean pneumonia() {
        return label.equals(KermanyLayout.PNEUMONIA);
    }

    /** Path relative to the {@code chest_xray} folder. */
    public String relativePath() {
        return split + "/" + label + "/" + fileName;
    }
}
