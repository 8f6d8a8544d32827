package org.pneumolab.classify.study;

import org.pneumolab.classify.FineTuner;
import org.pneumolab.classify.InceptionV3Graph;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.notebook.Profile;

/**
 * Everything that sizes a Kermany study run. One code path serves both profiles; only these
 * numbers change.
 *
 * @param profile              which profile the numbers come from
 * @param seed                 split, caps, weights init, shuffling and bootstrap all derive from it
 * @param valFraction          share of the pooled train+val patients re-split into validation
 * @param maxImagesPerSplit    cap per split after re-splitting (0 = every image)
 * @param vggSize              VGG16 input side in pixels
 * @param inceptionSize        InceptionV3 input side in pixels (>= 75)
 * @param epochs               head epochs (stage 1)
 * @param batchSize            head and fine-tuning batch size
 * @param headLearningRate     RMSprop learning rate of stage 1
 * @param fineTuneEpochs       stage-2 epochs (block5_conv3 + head)
 * @param fineTuneLearningRate stage-2 RMSprop learning rate
 * @param bootstrapResamples   replicates for the 95% intervals
 * @param threshold            decision threshold on P(pneumonia) for the threshold metrics
 */
public record StudyConfig(Profile profile, long seed, double valFraction, int maxImagesPerSplit, int vggSize,
                          int inceptionSize, int epochs, int batchSize, double headLearningRate,
                          int fineTuneEpochs, double fineTuneLearningRate, int bootstrapResamples,
                          double threshold) {

    public StudyConfig {
        if (maxImagesPerSplit < 0) {
            throw new IllegalArgumentException("maxImagesPerSplit must be >= 0 (0 = all), got " + maxImagesPerSplit);
        }
        if (inceptionSize < InceptionV3Graph.MIN_INPUT) {
            throw new IllegalArgumentException("InceptionV3 needs >= " + InceptionV3Graph.MIN_INPUT + " px, got "
                    + inceptionSize);
        }
        if (epochs < 1 || batchSize < 1 || fineTuneEpochs < 0 || bootstrapResamples < 0) {
            throw new IllegalArgumentException("epochs and batchSize must be >= 1, fineTuneEpochs and "
                    + "bootstrapResamples >= 0");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
    }

    /**
     * PAPER: the seed's set-up (VGG16 at 150 px, InceptionV3 at 299 px, RMSprop 1e-4 for the head,
     * 1e-5 for fine-tuning, batch 32, every image). The brief does not give the seed's epoch
     * counts; 20 head epochs and 10 fine-tuning epochs are ours.
     * SAMPLE: the synthetic sample at small inputs (VGG16 64 px, InceptionV3 75 px, its minimum),
     * at most 300 images per split, the seed's learning rates. (A 10x larger head rate, tried
     * first, collapsed the head to a constant output on random-init features.)
     */
    public static StudyConfig forProfile(Profile profile, long seed) {
        return profile == Profile.PAPER
                ? new StudyConfig(profile, seed, 0.1, 0, 150, 299, 20, 32, TransferModel.HEAD_LEARNING_RATE,
                10, FineTuner.LEARNING_RATE, 1000, 0.5)
                : new StudyConfig(profile, seed, 0.2, 300, 64, 75, 20, 16, TransferModel.HEAD_LEARNING_RATE,
                5, FineTuner.LEARNING_RATE, 500, 0.5);
    }

    public StudyConfig withMaxImagesPerSplit(int n) {
        return new StudyConfig(profile, seed, valFraction, n, vggSize, inceptionSize, epochs, batchSize,
                headLearningRate, fineTuneEpochs, fineTuneLearningRate, bootstrapResamples, threshold);
    }

    public StudyConfig withEpochs(int head, int fineTune) {
        return new StudyConfig(profile, seed, valFraction, maxImagesPerSplit, vggSize, inceptionSize, head, batchSize,
                headLearningRate, fineTune, fineTuneLearningRate, bootstrapResamples, threshold);
    }

    public StudyConfig withSizes(int vgg, int inception) {
        return new StudyConfig(profile, seed, valFraction, maxImagesPerSplit, vgg, inception, epochs, batchSize,
                headLearningRate, fineTuneEpochs, fineTuneLearningRate, bootstrapResamples, threshold);
    }
}
