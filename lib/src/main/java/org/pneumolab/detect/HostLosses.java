package org.pneumolab.detect;

/**
 * The detection losses in plain Java, one element at a time: the reference the SameDiff graphs
 * are tested against, and readable documentation of what they compute.
 */
public final class HostLosses {
    private HostLosses() {
    }

    /**
     * Sigmoid focal loss of one logit {@code z} with target {@code y} in {0,1}:
     * {@code -alpha_t (1 - p_t)^gamma log(p_t)} (Lin et al. 2017).
     */
    public static double sigmoidFocal(double z, double y, double alpha, double gamma) {
        double p = 1 / (1 + Math.exp(-z));
        double ce = softplus(z) - y * z; // = -log(p_t), stable for large |z|
        double pt = p * y + (1 - p) * (1 - y);
        double at = alpha * y + (1 - alpha) * (1 - y);
        return at * Math.pow(1 - pt, gamma) * ce;
    }

    /** Binary cross-entropy with logits. */
    public static double bce(double z, double y) {
        return softplus(z) - y * z;
    }

    /** Smooth L1 (Huber divided by beta): quadratic below {@code beta}, linear above. */
    public static double smoothL1(double diff, double beta) {
        double d = Math.abs(diff);
        return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
    }

    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
