package org.pneumolab.detect;

import java.util.Locale;

/**
 * Everything that shapes a RetinaNet and its training.
 *
 * @param inputSize square model input in pixels, a multiple of 32 (P3..P5 must halve exactly)
 * @param anchorScale multiplies RetinaNet's anchor sizes (4 x stride); < 1 for small inputs
 * @param pretrained copy ImageNet ResNet50 weights when the zoo can load them (paper profile)
 * @param doublePrecision float64 graph (gradient checks); float32 otherwise
 * @param levels pyramid levels: 5 = P3..P7 (the paper), 3 = P3..P5 (at 128 px P6/P7 are 2x2 and
 *               1x1 maps whose anchors are larger than the image)
 */
public record RetinaNetConfig(BackboneSpec backbone, int inputSize, int inChannels, int fpnChannels, int headConvs,
                              double anchorScale, double learningRate, long seed, boolean pretrained,
                              boolean doublePrecision, int levels) {
    public static final double FOCAL_ALPHA = 0.25;
    public static final double FOCAL_GAMMA = 2.0;
    /** Detectron's smooth-L1 beta for RetinaNet boxes. */
    public static final double BOX_BETA = 1.0 / 9;

    public RetinaNetConfig {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("RetinaNet input size must be a positive multiple of 32: " + inputSize);
        }
        if (levels < 3 || levels > 5) {
            throw new IllegalArgumentException("RetinaNet uses 3..5 pyramid levels, got " + levels);
        }
        if (headConvs < 0) {
            throw new IllegalArgumentException("headConvs must be >= 0: " + headConvs);
        }
    }

    /** All five levels P3..P7, as in the paper. */
    public RetinaNetConfig(BackboneSpec backbone, int inputSize, int inChannels, int fpnChannels, int headConvs,
                           double anchorScale, double learningRate, long seed, boolean pretrained, boolean doublePrecision) {
        this(backbone, inputSize, inChannels, fpnChannels, headConvs, anchorScale, learningRate, seed, pretrained,
                doublePrecision, 5);
    }

    /** The case study: ResNet50 (ImageNet when available), 224 px, 256-channel FPN, 4-conv heads. */
    public static RetinaNetConfig paper(long seed) {
        return new RetinaNetConfig(BackboneSpec.RESNET50, 224, 1, 256, 4, 1.0, 1e-4, seed, true, false);
    }

    /**
     * CPU-sized: narrow ResNet, 128 px, 32-channel FPN on P3..P5, one conv per head, anchors
     * 16..64 px (times 2^{0,1/3,2/3}); a training step of 8 images takes ~0.2 s on one core.
     */
    public static RetinaNetConfig sample(long seed) {
        return new RetinaNetConfig(BackboneSpec.SAMPLE, 128, 1, 32, 1, 0.5, 1e-3, seed, false, false, 3);
    }

    public AnchorGenerator anchors() {
        return AnchorGenerator.retinaNet(anchorScale, levels);
    }

    public String toJson() {
        return String.format(Locale.ROOT, "{\"model\":\"retinanet\",\"backbone\":%s,\"inputSize\":%d,\"inChannels\":%d,"
                        + "\"fpnChannels\":%d,\"headConvs\":%d,\"anchorScale\":%s,\"learningRate\":%s,\"seed\":%d,"
                        + "\"pretrained\":%b,\"doublePrecision\":%b,\"levels\":%d,\"focalAlpha\":%s,\"focalGamma\":%s}",
                backbone.toJson(), inputSize, inChannels, fpnChannels, headConvs, anchorScale, learningRate, seed,
                pretrained, doublePrecision, levels, FOCAL_ALPHA, FOCAL_GAMMA);
    }
}
