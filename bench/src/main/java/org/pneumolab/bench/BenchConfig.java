package org.pneumolab.bench;

/** Sizes and repetitions: the full run, or the tiny CI smoke run ({@code --quick}). */
record BenchConfig(boolean quick, int reps, int batch, int vggSize, int vggIters, int resnetSize, int resnetIters,
                   int trainIters, int convSize, int convChannels, int convDepth, int convIters,
                   int decodeCount, int decodeSize, int decodeTarget, int threads) {

    static BenchConfig full(int threads) {
        return new BenchConfig(false, 5, 8, 150, 3, 224, 4, 2, 56, 64, 4, 3, 24, 1024, 224, threads);
    }

    static BenchConfig quick(int threads) {
        // The zoo ResNet50 ends in a fixed 7x7 average pool, so it needs its full 224 px input.
        return new BenchConfig(true, 1, 2, 32, 1, 224, 1, 1, 16, 16, 2, 1, 4, 256, 64, threads);
    }

    BenchConfig withReps(int r) {
        return new BenchConfig(quick, r, batch, vggSize, vggIters, resnetSize, resnetIters, trainIters, convSize,
                convChannels, convDepth, convIters, decodeCount, decodeSize, decodeTarget, threads);
    }
}
