package org.pneumolab.detect;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.CoordinateSpace;

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

    /**
     * A batch as one {@code [N, C, S, S]} array of {@code dtype}, after checking that every image
     * has the model's channels and input size (a mismatch names the sample).
     */
    public static INDArray stack(List<DetectionSample> batch, int channels, int inputSize, DataType dtype) {
        INDArray[] xs = new INDArray[batch.size()];
        for (int i = 0; i < xs.length; i++) {
            DetectionSample s = batch.get(i);
            if (s.inputSize() != inputSize || s.imageCHW().size(0) != channels) {
                throw new IllegalArgumentException("sample " + s.id() + ": image " + java.util.Arrays.toString(s.imageCHW().shape())
                        + " does not match the model input [" + channels + ", " + inputSize + ", " + inputSize + "]");
            }
            xs[i] = s.imageCHW().castTo(dtype);
        }
        return Nd4j.stack(0, xs);
    }
}
