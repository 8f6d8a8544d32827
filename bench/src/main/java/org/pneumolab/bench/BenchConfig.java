package org.pneumolab.bench;

/**
 * Sizes and repetitions: the full run, or the tiny CI smoke run ({@code --quick}).
 *
 * @param fineTuneBatch  batch of the fine-tuning step (the paper profile's study batch)
 * @param featurizeSizes VGG16 input sizes of the featurize-once comparison (sample size, 150 px)
 * @param paperDetectors whether to time the detectors at the paper's size (ResNet50 at 224) against torchvision
 * @param paperBatches   batches of the paper-profile detector rows (the profile's 8, and 2)
 * @param paperSettle    untimed training steps each paper detector takes, on both sides, before its
 *                       rows' warm-up: a step's cost changes over the first steps (fresh memory, the
 *                       number of proposals an untrained RPN lets through), and users run thousands
 * @param minSampleSeconds the shortest sample of a row's fastest contestant: shorter calls are
 *                       repeated within a sample ({@link Harness}); 0 in the smoke run (one call)
 */
record BenchConfig(boolean quick, int reps, int batch, int vggSize, int vggIters, int resnetSize, int resnetIters,
                   int inceptionSize, int inceptionIters, int fineTuneBatch, int trainIters, int convSize,
                   int convChannels, int convDepth, int convIters, int decodeCount, int decodeSize, int decodeTarget,
                   int dicomCount, int[] featurizeSizes, int featurizeImages, int featurizeBatch, int detectorBatch,
                   int detectorImages, boolean paperDetectors, int[] paperBatches, int paperIters, int paperSettle, int sweepImages,
                   int threads, double minSampleSeconds) {

    /**
     * The full run. ResNet50 runs 4 forwards and the JPEG rows 96 images per sample (2 and 24
     * before 7 Dec 2026): calls of 0.1-1 s spread by 25-130% between rounds on a quiet machine.
     */
    static BenchConfig full(int threads) {
        return new BenchConfig(false, 3, 8, 150, 2, 224, 4, 299, 1, 32, 3, 56, 64, 4, 3, 96, 1024, 224, 32,
                new int[] {64, 150}, 32, 16, 8, 16, true, new int[] {8, 2}, 1, 12, 1000, threads, 1.0);
    }

    static BenchConfig quick(int threads) {
        // InceptionV3's smallest input is 75 px; the detectors' paper rows are left to the full run.
        return new BenchConfig(true, 1, 2, 32, 1, 128, 1, 75, 1, 4, 1, 16, 16, 2, 1, 4, 256, 64, 2,
                new int[] {32}, 4, 2, 2, 2, false, new int[] {2}, 1, 0, 200, threads, 0);
    }

    /** The smallest paper-profile detector batch (2 in the full run; what GpuSmoke sizes its detector step by). */
    int paperBatch() {
        return java.util.Arrays.stream(paperBatches).min().orElseThrow();
    }

    BenchConfig withReps(int r) {
        return new BenchConfig(quick, r, batch, vggSize, vggIters, resnetSize, resnetIters, inceptionSize,
                inceptionIters, fineTuneBatch, trainIters, convSize, convChannels, convDepth, convIters, decodeCount,
                decodeSize, decodeTarget, dicomCount, featurizeSizes, featurizeImages, featurizeBatch, detectorBatch,
                detectorImages, paperDetectors, paperBatches, paperIters, paperSettle, sweepImages, threads,
                minSampleSeconds);
    }
}
