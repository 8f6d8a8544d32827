package org.pneumolab.image;

/**
 * How 0..255 pixels become network inputs. Gray images are replicated into 3 channels for
 * pretrained backbones, so the per-channel ImageNet statistics still apply channel by channel.
 */
public enum Normalization {
    /** {@code v / 255}: inputs in [0, 1]. */
    UNIT(new double[]{0, 0, 0}, new double[]{1, 1, 1}),
    /** {@code (v / 255 - mean[c]) / std[c]} with torchvision's ImageNet mean and std (RGB order). */
    IMAGENET(new double[]{0.485, 0.456, 0.406}, new double[]{0.229, 0.224, 0.225}),
    /**
     * The 0..255 pixels unchanged. For consumers that apply their own preprocessing (the classify
     * package's Keras-style RESCALE_0_1 / CAFFE / TF modes), so the pipeline's decode and resize
     * is the only path from file to network and nothing is normalised twice.
     */
    PIXELS(new double[]{0, 0, 0}, new double[]{1.0 / 255, 1.0 / 255, 1.0 / 255}) {
        @Override
        public float apply(float v, int c, int channels) {
            return v; // exact: (v / 255) / (1 / 255) would round
        }
    };

    private final double[] mean;
    private final double[] std;

    Normalization(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Mean of channel {@code c} of {@code channels}; a single-channel output uses the average of
     * the three, the closest one number can come to what a 3-channel backbone saw.
     */
    public double mean(int c, int channels) {
        return channels == 1 ? (mean[0] + mean[1] + mean[2]) / 3 : mean[c];
    }

    public double std(int c, int channels) {
        return channels == 1 ? (std[0] + std[1] + std[2]) / 3 : std[c];
    }

    /** The input for a 0..255 pixel in channel {@code c}. */
    public float apply(float v, int c, int channels) {
        return (float) ((v / 255.0 - mean(c, channels)) / std(c, channels));
    }
}
