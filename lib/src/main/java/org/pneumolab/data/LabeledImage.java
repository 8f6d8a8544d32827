package org.pneumolab.data;

import java.nio.file.Path;

/** An image to classify with its label (Kermany: 1 = PNEUMONIA, 0 = NORMAL) and its patient. */
public record LabeledImage(String id, Path image, int label, String patient) {
}
