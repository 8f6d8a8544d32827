package org.pneumolab.classify;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Per-class loss weights for the two Kermany classes (label 0 = NORMAL, 1 = PNEUMONIA).
 * Used through a weighted {@link LossMCXENT} on a 2-way softmax: there the weight array is
 * indexed by class, so each example's loss is multiplied by its own class's weight.
 * (LossBinaryXENT's weights multiply output columns instead, which is not a class weight for a
 * single sigmoid output.)
 */
public record ClassWeights(double normal, double pneumonia) {
    /** The published study's imbalance in Kermany's training set: 3875 pneumonia vs 1341 normal. */
    public static final double KERMANY_RATIO = 2.89;

    public ClassWeights {
        if (!(normal > 0) || !(pneumonia > 0) || Double.isInfinite(normal) || Double.isInfinite(pneumonia)) {
            throw new IllegalArgumentException("class weights must be finite and > 0, got normal=" + normal
                    + ", pneumonia=" + pneumonia);
        }
    }

    /** No weighting (both 1). */
    public static ClassWeights none() {
        return new ClassWeights(1, 1);
    }

    /** The published study's choice: the minority class NORMAL weighted 2.89, PNEUMONIA 1. */
    public static ClassWeights published() {
        return new ClassWeights(KERMANY_RATIO, 1);
    }

    /** Weights that undo the imbalance seen in {@code labels} (0/1 values, any shape). */
    public static ClassWeights balancing(INDArray labels) {
        long[] counts = counts(labels);
        if (counts[0] == 0 || counts[1] == 0) {
            throw new IllegalArgumentException("cannot balance classes: counts normal=" + counts[0]
                    + ", pneumonia=" + counts[1]);
        }
        return new ClassWeights((double) counts[1] / counts[0], 1);
    }

    /** pneumonia count / normal count for 0/1 labels, or one-hot [N,2] labels. */
    public static double imbalanceRatio(INDArray labels) {
        long[] c = counts(labels);
        if (c[0] == 0) {
            throw new IllegalArgumentException("no NORMAL labels: imbalance ratio undefined");
        }
        return (double) c[1] / c[0];
    }

    /** {normal, pneumonia} counts of 0/1 labels (vector) or one-hot [N,2] labels. */
    public static long[] counts(INDArray labels) {
        INDArray classes = labels.rank() == 2 && labels.size(1) == 2 ? labels.argMax(1) : labels.reshape(-1);
        long pneumonia = 0;
        long n = classes.length();
        for (long i = 0; i < n; i++) {
            double v = classes.getDouble(i);
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("labels must be 0 (NORMAL) or 1 (PNEUMONIA), found " + v);
            }
            pneumonia += (long) v;
        }
        return new long[]{n - pneumonia, pneumonia};
    }

    /** A sweep of NORMAL:PNEUMONIA ratios (e.g. 0.5, 1, 2, 2.89, 4), PNEUMONIA fixed at 1. */
    public static List<ClassWeights> sweep(double... normalToPneumonia) {
        List<ClassWeights> out = new ArrayList<>();
        for (double r : normalToPneumonia) {
            out.add(new ClassWeights(r, 1));
        }
        return out;
    }

    /** The same weights with the classes swapped (the published study's "reverse" experiment). */
    public ClassWeights reversed() {
        return new ClassWeights(pneumonia, normal);
    }

    /** Weighted multi-class cross-entropy for the 2-way softmax output (column 0 NORMAL, 1 PNEUMONIA). */
    public LossMCXENT loss() {
        return new LossMCXENT(Nd4j.create(new double[]{normal, pneumonia}, 1, 2).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "{normal %.3g, pneumonia %.3g}", normal, pneumonia);
    }
}
