package org.pneumolab.detect;

import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences against SameDiff's backprop for a few elements of some variables. */
final class GradientCheck {
    private GradientCheck() {
    }

    /** @return the largest relative error seen (|a-n| / max(|a|+|n|, 1e-8)), ignoring pairs both below {@code minAbs} */
    static double maxRelError(SameDiff sd, Map<String, INDArray> ph, String loss, String[] vars, int perVar, double eps, double minAbs) {
        Map<String, INDArray> grads = sd.calculateGradients(ph, vars);
        double worst = 0;
        for (String v : vars) {
            INDArray arr = sd.getVariable(v).getArr();
            INDArray g = grads.get(v);
            long n = arr.length();
            for (int k = 0; k < perVar; k++) {
                long idx = (k * 7919L) % n;
                double orig = arr.getDouble(idx);
                arr.putScalar(idx, orig + eps);
                double up = sd.output(ph, loss).get(loss).getDouble(0);
                arr.putScalar(idx, orig - eps);
                double down = sd.output(ph, loss).get(loss).getDouble(0);
                arr.putScalar(idx, orig);
                double num = (up - down) / (2 * eps);
                double ana = g.getDouble(idx);
                if (Math.abs(num) < minAbs && Math.abs(ana) < minAbs) {
                    continue;
                }
                double rel = Math.abs(ana - num) / Math.max(Math.abs(ana) + Math.abs(num), 1e-8);
                if (rel > worst) {
                    worst = rel;
                    System.err.printf("gradcheck %s[%d]: analytic %.6g numeric %.6g rel %.2g%n", v, idx, ana, num, rel);
                }
            }
        }
        return worst;
    }
}
