package org.pneumolab.classify;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;

/**
 * Parameter counts of an assembled model, in Keras's sense so they compare with the published study's
 * model.summary(): {@code trainable} are the parameters an optimiser updates; {@code frozen}
 * are those inside frozen layers (the base); {@code batchNormStatistics} are the running
 * mean/variance of trainable BatchNorm layers (Keras's "non-trainable" in the head).
 * DL4J's BatchNorm always has a gamma, which Keras's InceptionV3 (scale=False) lacks, so a
 * DL4J InceptionV3 base has 1 extra parameter per BN channel (17,216 in all).
 */
public record ParameterCounts(long trainable, long frozen, long batchNormStatistics) {
    public long total() {
        return trainable + frozen + batchNormStatistics;
    }

    public static ParameterCounts of(ComputationGraph graph) {
        long trainable = 0;
        long frozen = 0;
        long stats = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
                frozen += layer.numParams();
                continue;
            }
            for (var e : layer.paramTable().entrySet()) {
                boolean isStat = layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization
                        && (e.getKey().equals("mean") || e.getKey().equals("var") || e.getKey().equals("log10stdev"));
                if (isStat) {
                    stats += e.getValue().length();
                } else {
                    trainable += e.getValue().length();
                }
            }
        }
        return new ParameterCounts(trainable, frozen, stats);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "trainable %,d, frozen %,d, BN statistics %,d", trainable, frozen,
                batchNormStatistics);
    }
}
