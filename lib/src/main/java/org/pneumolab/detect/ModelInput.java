package org.pneumolab.detect;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.pneumolab.data.DetectionBatch;

/** A batch's images as a detector's input, after checking they have the model's channels and size. */
final class ModelInput {
    private ModelInput() {
    }

    static INDArray of(DetectionBatch batch, int channels, int inputSize, DataType dtype) {
        long[] s = batch.images().shape();
        if (s.length != 4 || s[1] != channels || s[2] != inputSize || s[3] != inputSize) {
            throw new IllegalArgumentException("batch " + batch.ids() + ": images " + Arrays.toString(s)
                    + " do not match the model input [N, " + channels + ", " + inputSize + ", " + inputSize + "]");
        }
        return batch.images().dataType() == dtype ? batch.images() : batch.images().castTo(dtype);
    }
}
