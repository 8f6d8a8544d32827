package org.pneumolab.bench.diag;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Ad-hoc profiler for {@link StepBenchmark}: wall time per SameDiff op type, summed. */
public final class OpTimer extends BaseListener {
    private final Map<String, long[]> byType = new TreeMap<>();
    private long start;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext, INDArray[] outputs) {
        String key = op.getOp().opName();
        if (Boolean.getBoolean("opShapes") && key.startsWith("conv2d")) {
            key += java.util.Arrays.toString(opContext.getInputArray(0).shape()) + java.util.Arrays.toString(opContext.getInputArray(1).shape());
        }
        long[] v = byType.computeIfAbsent(key, k -> new long[2]);
        v[0] += System.nanoTime() - start;
        v[1]++;
    }

    /** Prints the 25 most expensive op types per step, then starts counting afresh. */
    public void print(int steps) {
        long total = byType.values().stream().mapToLong(v -> v[0]).sum();
        System.out.printf(Locale.ROOT, "ops total %.0f ms/step%n", total / 1e6 / steps);
        byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-60s %7.1f ms/step %5d calls/step%n", e.getKey(),
                        e.getValue()[0] / 1e6 / steps, e.getValue()[1] / steps));
        byType.clear();
    }
}
