package org.pneumolab.detect;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The detection losses as SameDiff expressions (same formulas as {@link HostLosses}), built from
 * elementwise ops only so that backprop is plain and checkable. Every loss takes a weight tensor:
 * 0 removes an element (ignored anchor, unsampled RoI), which is also what makes the box losses
 * of a negative image exactly 0.
 */
final class SdLosses {
    private SdLosses() {
    }

    /** {@code max(x, 1)} for a scalar count, written with relu so it has a simple gradient. */
    static SDVariable atLeastOne(SameDiff sd, SDVariable count) {
        return count.add(sd.nn().relu(count.rsub(1.0), 0));
    }

    /**
     * {@code log(1 + e^z)} as {@code relu(z) + log1p(e^-|z|)}. libnd4j's softplus is the literal
     * {@code log(1 + exp(z))}, which overflows to +inf for float logits above ~88; in the focal
     * loss that inf meets a zero factor {@code (1 - p_t)^gamma} of a confident positive and makes
     * the loss and every gradient NaN (what RetinaNet's first steps showed).
     */
    static SDVariable softplus(SameDiff sd, SDVariable z) {
        return sd.nn().relu(z, 0).add(sd.math().log1p(sd.math().exp(sd.math().abs(z).neg())));
    }

    /**
     * Sum over elements of {@code weight * focal(logits, target)}: cross-entropy in the log-sigmoid
     * form {@code softplus(z) - y z} (finite for any logit) and {@code 1 - p_t} as a sigmoid of
     * {@code +-z} rather than {@code 1 - p}, which cancels to 0 in float for confident anchors.
     */
    static SDVariable focalSum(SameDiff sd, SDVariable logits, SDVariable target, SDVariable weight,
                               double alpha, double gamma) {
        SDVariable ce = softplus(sd, logits).sub(target.mul(logits));
        // 1 - p_t = sigmoid(-z) for y = 1 and sigmoid(z) for y = 0, i.e. sigmoid((1 - 2y) z)
        SDVariable oneMinusPt = sd.nn().sigmoid(logits.mul(target.mul(-2.0).add(1.0)));
        SDVariable modulating = gamma == 2.0 ? oneMinusPt.mul(oneMinusPt) : sd.math().pow(oneMinusPt, gamma);
        SDVariable alphaT = target.mul(2 * alpha - 1).add(1 - alpha);
        SDVariable focal = alphaT.mul(modulating).mul(ce);
        return focal.mul(weight).sum();
    }

    /** Sum over elements of {@code weight * BCE-with-logits(logits, target)} (stable {@link #softplus}). */
    static SDVariable bceSum(SameDiff sd, SDVariable logits, SDVariable target, SDVariable weight) {
        return softplus(sd, logits).sub(target.mul(logits)).mul(weight).sum();
    }

    /** Sum of smooth-L1 over the 4 coordinates of elements with weight 1 ({@code weight [..,1]} broadcasts). */
    static SDVariable smoothL1Sum(SameDiff sd, SDVariable pred, SDVariable target, SDVariable weight, double beta) {
        SDVariable d = sd.math().abs(pred.sub(target));
        // min(d, beta) = beta - relu(beta - d); loss = 0.5 min^2 / beta + (d - min)
        SDVariable m = sd.nn().relu(d.rsub(beta), 0).rsub(beta);
        SDVariable l = m.mul(m).mul(0.5 / beta).add(d.sub(m));
        return l.mul(weight).sum();
    }
}
