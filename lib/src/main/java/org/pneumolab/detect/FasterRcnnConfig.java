package org.pneumolab.detect;

import java.util.Arrays;
import java.util.Locale;

/**
 * Everything that shapes a Faster R-CNN and its training. The RPN and the box head work on the
 * backbone's C4 map (stride 16), as in the original ResNet Faster R-CNN.
 *
 * @param skipNegativeImages true reproduces the published study's TF OD API behaviour (images without boxes
 *                           never reach training); false is the corrected behaviour (a background
 *                           image makes every anchor and RoI negative)
 */
public record FasterRcnnConfig(BackboneSpec backbone, int inputSize, int inChannels, int rpnChannels,
                               double[] anchorSizes, int pooledSize, int fcWidth, int rpnBatchPerImage,
                               int roiBatchPerImage, int preNmsTop, int postNmsTop, double learningRate, long seed,
                               boolean skipNegativeImages, boolean pretrained, boolean doublePrecision) {
    public static final int STRIDE = 16;

    public FasterRcnnConfig {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("Faster R-CNN input size must be a positive multiple of 32: " + inputSize);
        }
        anchorSizes = anchorSizes.clone();
    }

    public static FasterRcnnConfig paper(long seed, boolean skipNegativeImages) {
        return new FasterRcnnConfig(BackboneSpec.RESNET50, 224, 1, 512, new double[] {32, 64, 128, 256}, 7, 1024,
                256, 128, 600, 100, 1e-4, seed, skipNegativeImages, true, false);
    }

    public static FasterRcnnConfig sample(long seed, boolean skipNegativeImages) {
        return new FasterRcnnConfig(BackboneSpec.SAMPLE, 128, 1, 32, new double[] {16, 32, 64}, 5, 64,
                64, 16, 200, 32, 1e-3, seed, skipNegativeImages, false, false);
    }

    public AnchorGenerator anchors() {
        return new AnchorGenerator(new int[] {STRIDE}, new double[] {1.0}, new double[] {0.5, 1.0, 2.0}, anchorSizes);
    }

    public String toJson() {
        return String.format(Locale.ROOT, "{\"model\":\"faster-rcnn\",\"backbone\":%s,\"inputSize\":%d,\"inChannels\":%d,"
                        + "\"rpnChannels\":%d,\"anchorSizes\":%s,\"pooledSize\":%d,\"fcWidth\":%d,\"rpnBatch\":%d,"
                        + "\"roiBatch\":%d,\"preNmsTop\":%d,\"postNmsTop\":%d,\"learningRate\":%s,\"seed\":%d,"
                        + "\"skipNegativeImages\":%b,\"pretrained\":%b,\"doublePrecision\":%b}",
                backbone.toJson(), inputSize, inChannels, rpnChannels, Arrays.toString(anchorSizes), pooledSize, fcWidth,
                rpnBatchPerImage, roiBatchPerImage, preNmsTop, postNmsTop, learningRate, seed, skipNegativeImages,
                pretrained, doublePrecision);
    }
}
