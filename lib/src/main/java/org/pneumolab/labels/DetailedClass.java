package org.pneumolab.labels;

import java.util.Optional;

/** RSNA's {@code stage_2_detailed_class_info.csv} classes; only Lung Opacity has boxes (Target 1). */
public enum DetailedClass {
    LUNG_OPACITY("Lung Opacity"),
    NO_LUNG_OPACITY_NOT_NORMAL("No Lung Opacity / Not Normal"),
    NORMAL("Normal");

    private final String label;

    DetailedClass(String label) {
        this.label = label;
    }

    /** The spelling used in the Kaggle file. */
    public String label() {
        return label;
    }

    public static Optional<DetailedClass> fromLabel(String s) {
        for (DetailedClass c : values()) {
            if (c.label.equals(s.trim())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
