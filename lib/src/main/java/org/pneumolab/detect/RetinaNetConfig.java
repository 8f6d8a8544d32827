package org.pneumolab.detect;

import java.util.Locale;

/**
 * Everything that shapes a RetinaNet and its training.
 *
 * @param inputSize square model input in pixels, a multiple of 32 (P3..P5 must halve exactly)
 * @param anchorScale multiplies RetinaNet's anchor sizes (4 x stride); < 1 for small inputs
 * @param pretrained copy ImageNet ResNet50 weights when the zoo can load them (paper profile)
 * @param doublePrecision float64 graph (gradient checks); float32 otherwise
 */
public record RetinaNetConfig(BackboneSpec backbone, int inputSize, int inChannels, int fpnChannels, int headConvs,
                              double anchorScale, double learningRate, long seed, boolean pretrained,
                              boolean doublePrecision) {
    public static final double FOCAL_ALPHA = 0.25;
    public static final double FOCAL_GAMMA = 2.0;
    /** Detectron's smooth-L1 beta for RetinaNet boxes. */
    public static final double BOX_BETA = 1.0 / 9;

    public RetinaNetConfig {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("RetinaNet input size must be a positive multiple of 32: " + inputSize);
        }
    }

    /** The case study: ResNet50 (ImageNet when available), 224 px, 256-channel FPN, 4-conv heads. */
    public static RetinaNetConfig paper(long seed) {
        return new RetinaNetConfig(BackboneSpec.RESNET50, 224, 1, 256, 4, 1.0, 1e-4, seed, true, false);
    }

    /** CPU-sized: narrow ResNet, 128 px, 32-channel FPN, 2-conv heads, anchors 32..512 scaled by 0.5. */
    public static RetinaNetConfig sample(long seed) {
        return new RetinaNetConfig(BackboneSpec.SAMPLE, 128, 1, 32, 2, 0.5, 1e-3, seed, false, false);
    }

    public AnchorGenerator anchors() {
        return AnchorGenerator.retinaNet(anchorScale);
    }

    public String toJson() {
        return String.format(Locale.ROOT, "{\"model\":\"retinanet\",\"backbone\":%s,\"inputSize\":%d,\"inChannels\":%d,"
                        + "\"fpnChannels\":%d,\"headConvs\":%d,\"anchorScale\":%s,\"learningRate\":%s,\"seed\":%d,"
                        + "\"pretrained\":%b,\"doublePrecision\":%b,\"focalAlpha\":%s,\"focalGamma\":%s}",
                backbone.toJson(), inputSize, inChannels, fpnChannels, headConvs, anchorScale, learningRate, seed,
                pretrained, doublePrecision, FOCAL_ALPHA, FOCAL_GAMMA);
    }
}
