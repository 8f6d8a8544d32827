package org.pneumolab.classify;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bottleneck features of a split: {@code features} [N, C, H, W] from a frozen base and
 * {@code labels} one-hot [N, 2] (column 1 = PNEUMONIA).
 */
public record FeatureSet(INDArray features, INDArray labels) {
    public FeatureSet {
        if (features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException(features.size(0) + " feature rows but " + labels.size(0) + " labels");
        }
        if (labels.rank() != 2 || labels.size(1) != 2) {
            throw new IllegalArgumentException("labels must be one-hot [N, 2], got " + Arrays.toString(labels.shape()));
        }
    }

    /** One-hot [N, 2] labels from 0/1 class labels. */
    public static INDArray oneHot(int[] classes) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, classes.length, 2);
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] != 0 && classes[i] != 1) {
                throw new IllegalArgumentException("label " + i + " is " + classes[i] + ", expected 0 or 1");
            }
            out.putScalar(i, classes[i], 1.0);
        }
        return out;
    }

    public int size() {
        return (int) features.size(0);
    }

    /** 0/1 class labels. */
    public int[] classes() {
        return labels.argMax(1).toIntVector();
    }

    public DataSet toDataSet() {
        return new DataSet(features, labels);
    }

    void write(DataOutputStream out) throws IOException {
        Nd4j.write(features, out);
        Nd4j.write(labels, out);
    }

    static FeatureSet read(DataInputStream in) throws IOException {
        INDArray f = Nd4j.read(in);
        INDArray l = Nd4j.read(in);
        return new FeatureSet(f, l);
    }
}
