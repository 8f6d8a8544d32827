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

    /** Sum over elements of {@code weight * focal(logits, target)}. */
    static SDVariable focalSum(SameDiff sd, SDVariable logits, SDVariable target, SDVariable weight,
                               double alpha, double gamma) {
        SDVariable p = sd.nn().sigmoid(logits);
        SDVariable ce = sd.nn().softplus(logits).sub(target.mul(logits));
        // p_t = p*y + (1-p)*(1-y) = 1 - y - p + 2py
        SDVariable oneMinusPt = target.add(p).sub(p.mul(target).mul(2.0));
        SDVariable alphaT = target.mul(2 * alpha - 1).add(1 - alpha);
        SDVariable focal = alphaT.mul(sd.math().pow(oneMinusPt, gamma)).mul(ce);
        return focal.mul(weight).sum();
    }

    /** Sum over elements of {@code weight * BCE-with-logits(logits, target)}. */
    static SDVariable bceSum(SameDiff sd, SDVariable logits, SDVariable target, SDVariable weight) {
        return sd.nn().softplus(logits).sub(target.mul(logits)).mul(weight).sum();
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
