package org.pneumolab.detect;

/**
 * What every SameDiff detector's configuration has: the backbone, the input, the optimiser, the
 * seed, and how inference is batched. Configurations are records (values: equal when equal,
 * printable) and {@link #toJson()} names every field, because it is the run's identity: a run is
 * reused only for exactly the same configuration.
 */
public sealed interface DetectorConfig permits RetinaNetConfig, FasterRcnnConfig {
    BackboneSpec backbone();

    /** Square model input in pixels, a multiple of 32. */
    int inputSize();

    int inChannels();

    /** Adam's learning rate. */
    double learningRate();

    /** Weight initialisation (and, per step, the ND4J random stream; see {@code SameDiffDetector}). */
    long seed();

    /** Copy ImageNet ResNet50 weights when the zoo can load them. */
    boolean pretrained();

    /** float64 graph (gradient checks); float32 otherwise. */
    boolean doublePrecision();

    /** Images per forward pass at inference. */
    int inferenceBatch();

    AnchorGenerator anchors();

    /** Every field, for the run's identity. */
    String toJson();

    static void requireInputSize(String model, int inputSize) {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException(model + " input size must be a positive multiple of 32: " + inputSize);
        }
    }

    static void requireIous(String what, double positive, double negative) {
        if (!(negative >= 0 && negative <= positive && positive <= 1)) {
            throw new IllegalArgumentException(what + ": need 0 <= negative IoU <= positive IoU <= 1, got "
                    + negative + " and " + positive);
        }
    }
}
