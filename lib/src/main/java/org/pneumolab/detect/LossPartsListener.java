package org.pneumolab.detect;

import java.util.LinkedHashMap;
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

/** Captures scalar loss parts during {@code sd.fit}, so a step reports cls/box losses without a second forward pass. */
final class LossPartsListener extends BaseListener {
    private final Set<String> names;
    private final Map<String, Double> values = new LinkedHashMap<>();

    LossPartsListener(Set<String> names) {
        this.names = names;
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

    Map<String, Double> take() {
        Map<String, Double> out = new LinkedHashMap<>(values);
        values.clear();
        return out;
    }
}
