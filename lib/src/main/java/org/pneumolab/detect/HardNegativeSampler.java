package org.pneumolab.detect;

import java.util.List;
import java.util.Random;

/**
 * Like {@link BalancedSampler}, but the negatives are the highest-scoring ones (online hard
 * negative mining): background the model currently mistakes for opacity, e.g. the "not normal,
 * but not pneumonia" X-rays the Faster R-CNN baseline never learnt from. Positives stay random.
 */
public record HardNegativeSampler(int batchSize, double positiveFraction) {
    public HardNegativeSampler {
        new BalancedSampler(batchSize, positiveFraction); // same validation
    }

    /** @param scores the model's current foreground score (or loss) per candidate */
    public int[] sample(int[] labels, double[] scores, long seed) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("labels and scores differ in length: " + labels.length + " vs " + scores.length);
        }
        List<Integer> pos = BalancedSampler.indicesOf(labels, 1);
        List<Integer> neg = BalancedSampler.indicesOf(labels, 0);
        int nPos = Math.min(pos.size(), (int) (batchSize * positiveFraction));
        int nNeg = Math.min(neg.size(), batchSize - nPos);
        int[] out = new int[labels.length];
        java.util.Arrays.fill(out, -1);
        for (int i : BalancedSampler.pickRandom(pos, nPos, new Random(seed))) {
            out[i] = 1;
        }
        neg.sort((a, b) -> scores[b] != scores[a] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        for (int i = 0; i < nNeg; i++) {
            out[neg.get(i)] = 0;
        }
        return out;
    }
}
