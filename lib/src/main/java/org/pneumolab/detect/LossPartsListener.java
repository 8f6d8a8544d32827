package org.pneumolab.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Captures scalar loss parts during {@code sd.fit}, so a step reports cls/box losses without a
 * second forward pass, and reports them the same way for every detector: in the detector's order
 * of part names, a missing part as NaN.
 */
final class LossPartsListener extends BaseListener {
    private final List<String> order;
    private final Set<String> names;
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** @param order the loss parts, in reporting order ("loss", "cls_loss", "box_loss", ...) */
    LossPartsListener(String... order) {
        this.order = List.of(order);
        this.names = Set.copyOf(this.order);
    }

    /** The part names, in reporting order. */
    String[] names() {
        return order.toArray(String[]::new);
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder().trainingVariables(names.toArray(new String[0])).build();
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName, INDArray activation) {
        if (names.contains(varName)) {
            values.put(varName, activation.getDouble(0));
        }
    }

    /**
     * The parts captured since the last call, ordered. SameDiff may skip the total when it is only
     * a loss variable; it is then cls_loss + box_loss.
     */
    Map<String, Double> take() {
        Map<String, Double> got = new LinkedHashMap<>(values);
        values.clear();
        if (!got.containsKey("loss") && got.containsKey("cls_loss") && got.containsKey("box_loss")) {
            got.put("loss", got.get("cls_loss") + got.get("box_loss"));
        }
        return ordered(got);
    }

    /** Scalar outputs of an inference pass ({@code sd.output(..., names())}), ordered. */
    Map<String, Double> fromOutputs(Map<String, INDArray> outputs) {
        Map<String, Double> got = new LinkedHashMap<>();
        outputs.forEach((k, v) -> got.put(k, v.getDouble(0)));
        return ordered(got);
    }

    private Map<String, Double> ordered(Map<String, Double> m) {
        Map<String, Double> o = new LinkedHashMap<>();
        for (String k : order) {
            o.put(k, m.getOrDefault(k, Double.NaN));
        }
        return o;
    }
}
