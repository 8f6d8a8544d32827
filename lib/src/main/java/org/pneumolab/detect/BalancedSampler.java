package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Picks a training subset of anchors or RoIs: up to {@code batchSize * positiveFraction}
 * positives, filled up with negatives, both uniformly at random from a seed. Labels in and out:
 * 1 positive, 0 negative, -1 not used.
 */
public record BalancedSampler(int batchSize, double positiveFraction) {
    public BalancedSampler {
        if (batchSize < 1 || !(positiveFraction >= 0 && positiveFraction <= 1)) {
            throw new IllegalArgumentException("batchSize >= 1 and positiveFraction in [0,1]: " + batchSize + ", " + positiveFraction);
        }
    }

    public int[] sample(int[] labels, long seed) {
        Random rnd = new Random(seed);
        List<Integer> pos = indicesOf(labels, 1);
        List<Integer> neg = indicesOf(labels, 0);
        int nPos = Math.min(pos.size(), (int) (batchSize * positiveFraction));
        int nNeg = Math.min(neg.size(), batchSize - nPos);
        int[] out = new int[labels.length];
        java.util.Arrays.fill(out, -1);
        for (int i : pickRandom(pos, nPos, rnd)) {
            out[i] = 1;
        }
        for (int i : pickRandom(neg, nNeg, rnd)) {
            out[i] = 0;
        }
        return out;
    }

    static List<Integer> indicesOf(int[] labels, int value) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == value) {
                out.add(i);
            }
        }
        return out;
    }

    /** Partial Fisher-Yates: the first {@code k} of a seeded shuffle. */
    static List<Integer> pickRandom(List<Integer> from, int k, Random rnd) {
        List<Integer> copy = new ArrayList<>(from);
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(copy.size() - i);
            Integer t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy.subList(0, k);
    }
}
