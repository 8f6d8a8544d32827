package org.pneumolab.synth;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

/**
 * Test helper: L2-regularised logistic regression on downsampled, per-image standardised
 * pixels, and ROC AUC, written here because the metrics package is built in parallel.
 */
final class PixelClassifier {
    private final double[] w;
    private double bias;

    private PixelClassifier(int features) {
        w = new double[features];
    }

    /** Area-average to {@code size x size} gray values, then zero mean and unit variance per image. */
    static double[] features(BufferedImage img, int size) {
        int width = img.getWidth();
        int height = img.getHeight();
        double[] sum = new double[size * size];
        int[] count = new int[size * size];
        var raster = img.getRaster();
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < height; y++) {
            int cy = y * size / height;
            for (int x = 0; x < width; x++) {
                raster.getPixel(x, y, px);
                int cell = cy * size + x * size / width;
                sum[cell] += px[0];
                count[cell]++;
            }
        }
        double mean = 0;
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count[i];
            mean += sum[i];
        }
        mean /= sum.length;
        double var = 0;
        for (double s : sum) {
            var += (s - mean) * (s - mean);
        }
        double sd = Math.sqrt(var / sum.length) + 1e-6;
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (sum[i] - mean) / sd;
        }
        return sum;
    }

    static PixelClassifier train(double[][] x, int[] y, double l2, int epochs, long seed) {
        PixelClassifier m = new PixelClassifier(x[0].length);
        double lr = 0.05;
        Random r = new Random(seed);
        int[] order = new int[x.length];
        Arrays.setAll(order, i -> i);
        int pos = Arrays.stream(y).sum();
        // balance the classes, as the positives are the minority
        double wPos = x.length / (2.0 * Math.max(1, pos));
        double wNeg = x.length / (2.0 * Math.max(1, x.length - pos));
        for (int e = 0; e < epochs; e++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i : order) {
                double g = (m.probability(x[i]) - y[i]) * (y[i] == 1 ? wPos : wNeg);
                for (int k = 0; k < m.w.length; k++) {
                    m.w[k] -= lr * (g * x[i][k] + l2 * m.w[k]);
                }
                m.bias -= lr * g;
            }
            lr *= 0.93;
        }
        return m;
    }

    double probability(double[] x) {
        double z = bias;
        for (int k = 0; k < w.length; k++) {
            z += w[k] * x[k];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half. */
    static double auc(double[] scores, int[] labels) {
        long pos = 0;
        long neg = 0;
        double wins = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] != 1) {
                continue;
            }
            pos++;
            for (int j = 0; j < scores.length; j++) {
                if (labels[j] == 0) {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        for (int label : labels) {
            neg += label == 0 ? 1 : 0;
        }
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("AUC needs both classes");
        }
        return wins / (pos * neg);
    }
}
