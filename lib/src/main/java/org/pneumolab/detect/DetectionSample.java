package org.pneumolab.detect;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training or inference image for the detectors: the model input {@code imageCHW}
 * ({@code [channels, size, size]}, already resized and normalised by the data pipeline) and the
 * ground-truth boxes in ORIGINAL image pixels ({@code origWidth x origHeight}, e.g. 1024 x 1024
 * for RSNA). An empty box list is a negative image.
 */
public record DetectionSample(String id, INDArray imageCHW, List<Box> boxes, int origWidth, int origHeight) {
    public DetectionSample {
        if (imageCHW == null || imageCHW.rank() != 3 || imageCHW.size(1) != imageCHW.size(2)) {
            throw new IllegalArgumentException("sample " + id + ": image must be [C, S, S], got "
                    + (imageCHW == null ? "null" : java.util.Arrays.toString(imageCHW.shape())));
        }
        boxes = List.copyOf(boxes);
    }

    public int inputSize() {
        return (int) imageCHW.size(1);
    }

    public CoordinateSpace originalSpace() {
        return new CoordinateSpace(origWidth, origHeight);
    }

    public CoordinateSpace inputSpace() {
        return CoordinateSpace.square(inputSize());
    }

    /** Ground truth in model-input pixels. */
    public List<Box> inputBoxes() {
        return originalSpace().convertAll(boxes, inputSpace());
    }
}
