package org.pneumolab.data;

import java.nio.file.Path;

/**
 * One Kermany image: the folder split it came from (train, val, test), its label from the class
 * folder (1 = PNEUMONIA, 0 = NORMAL), and the patient and subtype parsed from the name.
 */
public record KermanyRecord(Path image, String split, int label, String patient, KermanyName.Subtype subtype) {

    /** {@code split/CLASS/file}, unique within the data set. */
    public String id() {
        return split + "/" + (label == 1 ? KermanyDataset.PNEUMONIA : KermanyDataset.NORMAL) + "/" + image.getFileName();
    }

    public LabeledImage toLabeled() {
        return new LabeledImage(id(), image, label, patient);
    }
}
