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

    /**
     * The rule between {@code pretrained} and {@code frozenNorm}: frozen batch-norm affines hold an
     * ImageNet backbone's statistics, so they mean something only on a pretrained backbone; on
     * random init they are no normalisation at all (scale 1, shift 0 as drawn) and the backbone
     * would train unnormalised, silently. So {@code frozenNorm(true)} needs {@code pretrained(true)}.
     * Timing the paper graph, or testing the frozen form's arithmetic, on random values is a
     * different thing: keep the paper's configuration as it is (pretrained, frozen; what a paper
     * user runs) and build the detector with {@code RetinaNet.withRandomValues} /
     * {@code FasterRcnn.withRandomValues}, which say so in their init note.
     */
    static void requireNormalisation(String model, boolean pretrained, boolean frozenNorm) {
        if (frozenNorm && !pretrained) {
            throw new IllegalArgumentException(model + ": frozenNorm(true) needs pretrained(true): frozen batch-norm"
                    + " affines are an ImageNet backbone's; on a random backbone they leave it unnormalised. Random"
                    + " init: pretrained(false).frozenNorm(false) (StudySpec.weights(RANDOM) does both); the paper graph"
                    + " on random values for timing or tests: keep pretrained(true) and build it withRandomValues");
        }
    }

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
