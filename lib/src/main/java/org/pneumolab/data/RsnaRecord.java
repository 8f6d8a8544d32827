package org.pneumolab.data;

import org.pneumolab.labels.DetailedClass;

import java.nio.file.Path;
import java.util.List;

import org.pneumolab.geom.Box;

/**
 * One RSNA training patient (one image): its DICOM file, detailed class and opacity boxes in
 * original pixel coordinates (1024 x 1024 for the challenge images). No boxes means Target 0.
 */
public record RsnaRecord(String patientId, Path dicom, DetailedClass cls, List<Box> boxes) {
    public RsnaRecord {
        boxes = List.copyOf(boxes);
    }

    /** Kaggle's {@code Target}: 1 when the image has at least one Lung Opacity box. */
    public int target() {
        return boxes.isEmpty() ? 0 : 1;
    }

    /** The same image as a detection sample for {@link DetectionBatches}. */
    public DetectionSample toSample() {
        return new DetectionSample(patientId, dicom, boxes);
    }
}
