package org.pneumolab.classify;

import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded two-class image task for tests: dark noisy images (0..255), class 1 has a soft
 * bright Gaussian blob at a random place, class 0 has none. Classes alternate.
 */
record SyntheticBlobs(INDArray images, int[] labels, int[][] centres) {

    static SyntheticBlobs generate(int n, int size, long seed) {
        Random rng = new Random(seed);
        float[] data = new float[n * size * size];
        int[] labels = new int[n];
        int[][] centres = new int[n][];
        double sigma = size / 9.0;
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            // A dark background, so the zero padding of the convolutions adds no edge at the border
            double base = 10 + 10 * rng.nextDouble();
            double cy = -1;
            double cx = -1;
            if (labels[i] == 1) {
                int margin = size / 5;
                cy = margin + rng.nextInt(size - 2 * margin);
                cx = margin + rng.nextInt(size - 2 * margin);
                centres[i] = new int[]{(int) cy, (int) cx};
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = base + 6 * rng.nextGaussian();
                    if (labels[i] == 1) {
                        double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                        v += 130 * Math.exp(-d2 / (2 * sigma * sigma));
                    }
                    data[(i * size + y) * size + x] = (float) Math.max(0, Math.min(255, v));
                }
            }
        }
        INDArray images = Nd4j.create(data, new long[]{n, 1, size, size}, DataType.FLOAT);
        return new SyntheticBlobs(images, labels, centres);
    }

    INDArray oneHot() {
        return FeatureSet.oneHot(labels);
    }

    /** Exact ROC AUC by ranking (ties count half), independent of the code under test. */
    static double auc(double[] scores, int[] labels) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] != 1) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (labels[j] != 0) {
                    continue;
                }
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }
}
