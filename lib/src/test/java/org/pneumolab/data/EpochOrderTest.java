package org.pneumolab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The one shuffle kernel gives, for every seed rule that uses it, exactly the permutation
 * {@code Collections.shuffle} gave before it existed: trained runs keep their batches bit for bit.
 */
class EpochOrderTest {
    private static int[] collectionsShuffle(int size, Random rng) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, rng);
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theKernelDrawsWhatCollectionsShuffleDrew() {
        for (int size : new int[] {0, 1, 2, 5, 97, 1000}) {
            for (long seed : new long[] {0, 7, 2018, -3}) {
                assertArrayEquals(collectionsShuffle(size, new Random(seed)), EpochOrder.permutation(size, new Random(seed)));
                // the heads' rule: one stream over the epochs
                Random a = new Random(seed);
                Random b = new Random(seed);
                for (int e = 0; e < 3; e++) {
                    assertArrayEquals(collectionsShuffle(size, a), EpochOrder.permutation(size, b));
                }
            }
        }
    }

    @Test
    void theDetectorAndIteratorRulesKeepTheirSeeds() {
        for (int epoch = 0; epoch < 4; epoch++) {
            assertArrayEquals(collectionsShuffle(50, new Random(7 * 1_000_003L + epoch)), EpochOrder.detector(7).order(50, epoch));
            assertArrayEquals(collectionsShuffle(50, new Random(TrainingStreamSeeds.mix(7, epoch))),
                    EpochOrder.of(new BatchOptions(8, true, org.pneumolab.image.AugmentSpec.none(), 7, 1, 1)).order(50, epoch));
        }
    }
}
