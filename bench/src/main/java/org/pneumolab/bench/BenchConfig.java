package org.pneumolab.bench;

/**
 * Sizes and repetitions: the full run, or the tiny CI smoke run ({@code --quick}).
 *
 * @param featurizeSizes VGG16 input sizes of the featurize-once comparison (sample size, 150 px)
 * @param paperDetectors whether to also time the detectors at the paper's size (ResNet50 at 224)
 */
record BenchConfig(boolean quick, int reps, int batch, int vggSize, int vggIters, int resnetSize, int resnetIters,
                   int inceptionSize, int inceptionIters, int trainIters, int convSize, int convChannels,
                   int convDepth, int convIters, int decodeCount, int decodeSize, int decodeTarget, int dicomCount,
                   int[] featurizeSizes, int featurizeImages, int featurizeBatch, int detectorBatch,
                   int detectorImages, boolean paperDetectors, int paperBatch, int paperImages, int sweepImages,
                   int threads) {

    static BenchConfig full(int threads) {
        return new BenchConfig(false, 5, 8, 150, 3, 224, 4, 299, 2, 2, 56, 64, 4, 3, 24, 1024, 224, 32,
                new int[] {64, 150}, 32, 16, 8, 16, true, 2, 4, 1000, threads);
    }

    static BenchConfig quick(int threads) {
        // The zoo ResNet50 ends in a fixed 7x7 average pool, so it needs its full 224 px input;
        // InceptionV3's smallest input is 75 px.
        return new BenchConfig(true, 1, 2, 32, 1, 224, 1, 75, 1, 1, 16, 16, 2, 1, 4, 256, 64, 2,
                new int[] {32}, 4, 2, 2, 2, false, 1, 1, 200, threads);
    }

    BenchConfig withReps(int r) {
        return new BenchConfig(quick, r, batch, vggSize, vggIters, resnetSize, resnetIters, inceptionSize,
                inceptionIters, trainIters, convSize, convChannels, convDepth, convIters, decodeCount, decodeSize,
                decodeTarget, dicomCount, featurizeSizes, featurizeImages, featurizeBatch, detectorBatch,
                detectorImages, paperDetectors, paperBatch, paperImages, sweepImages, threads);
    }
}
