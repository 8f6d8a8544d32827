package org.pneumolab.synth;

/** RSNA's three classes, with the exact strings of {@code stage_2_detailed_class_info.csv}. */
public enum RsnaClass {
    LUNG_OPACITY("Lung Opacity", 0.225, 0.63),
    NOT_NORMAL("No Lung Opacity / Not Normal", 0.44, 0.50),
    NORMAL("Normal", 0.335, 0.30);

    private final String label;
    /** Share of patients (RSNA stage 2 train: about 23 / 44 / 33 %). */
    final double share;
    /** Share of this class's films taken AP: opacities are commoner on (portable, sicker) AP films. */
    final double apShare;

    RsnaClass(String label, double share, double apShare) {
        this.label = label;
        this.share = share;
        this.apShare = apShare;
    }

    public String label() {
        return label;
    }

    public int target() {
        return this == LUNG_OPACITY ? 1 : 0;
    }
}
