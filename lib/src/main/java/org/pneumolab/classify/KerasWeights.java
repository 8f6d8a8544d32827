package org.pneumolab.classify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.weights.KerasH5;

/**
 * Loads a Keras weight file ({@link KerasH5}: Keras 1 or Keras 2 layout) into a DL4J graph by
 * layer name.
 *
 * <p>Conversions: Conv2D kernels are [kh, kw, in, out] in Keras (TensorFlow ordering) and
 * [out, in, kh, kw] in DL4J; BatchNormalization's moving_mean / moving_variance become DL4J's
 * mean / var; a BN saved with scale=False has no gamma, which then stays at DL4J's initial 1.
 * Dense kernels are copied as [in, out] (valid for a Dense not fed by a Flatten: the notop
 * files this is for have none).
 */
public final class KerasWeights {
    private KerasWeights() {
    }

    /** What was loaded and what did not match, so a partial load is never silent. */
    public record Report(Path file, List<String> loadedLayers, List<String> graphLayersWithoutWeights,
                         List<String> fileLayersNotInGraph) {
        public boolean complete() {
            return graphLayersWithoutWeights.isEmpty();
        }
    }

    /**
     * Copies every weight in {@code file} whose layer name exists in {@code graph}.
     *
     * @throws IOException naming the file and layer when the file is unreadable or a shape disagrees
     */
    public static Report load(Path file, ComputationGraph graph) throws IOException {
        return load(KerasH5.read(file), graph);
    }

    /**
     * As above from a file already read. A layer's weights are taken by their position in its
     * {@code weight_names}, as Keras's load_weights does: Conv2D / Dense {@code [kernel, bias]};
     * BatchNormalization {@code [gamma, beta, moving_mean, moving_variance]}, or without gamma
     * when it was saved with scale=False (InceptionV3: three weights).
     */
    public static Report load(KerasH5.Contents contents, ComputationGraph graph) throws IOException {
        Path file = contents.file();
        List<String> loaded = new ArrayList<>();
        List<String> notInGraph = new ArrayList<>();
        for (String layer : contents.weightedLayers()) {
            Layer target = graph.getConfiguration().getVertices().containsKey(layer) ? graph.getLayer(layer) : null;
            if (target == null) {
                notInGraph.add(layer);
                continue;
            }
            List<KerasH5.Weight> ws = contents.weights(layer);
            List<String> roles = roles(file, layer, target, ws.size());
            for (int i = 0; i < ws.size(); i++) {
                assign(file, layer, target, roles.get(i), ws.get(i));
            }
            loaded.add(layer);
        }
        TreeSet<String> loadedSet = new TreeSet<>(loaded);
        List<String> missing = new ArrayList<>();
        for (Layer l : graph.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            if (l.numParams() > 0 && !loadedSet.contains(name)) {
                missing.add(name);
            }
        }
        return new Report(file, List.copyOf(loaded), List.copyOf(missing), List.copyOf(notInGraph));
    }

    /** DL4J parameter keys of a layer's Keras weights, in weight_names order. */
    private static List<String> roles(Path file, String layer, Layer target, int count) throws IOException {
        var conf = target.conf().getLayer();
        List<String> roles;
        if (conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
            roles = switch (count) {
                case 4 -> List.of("gamma", "beta", "mean", "var");
                case 3 -> List.of("beta", "mean", "var");   // scale=False
                case 2 -> List.of("mean", "var");           // scale=False, center=False
                default -> null;
            };
        } else {
            roles = switch (count) {
                case 2 -> List.of("W", "b");
                case 1 -> List.of("W");
                default -> null;
            };
        }
        if (roles == null) {
            throw new IOException(file + ": layer " + layer + " has " + count + " weights, which a "
                    + conf.getClass().getSimpleName() + " cannot take");
        }
        return roles;
    }

    private static void assign(Path file, String layer, Layer target, String key, KerasH5.Weight weight)
            throws IOException {
        INDArray v = weight.value();
        if (key.equals("W") && v.rank() == 4) {
            v = v.permute(3, 2, 0, 1); // Keras [kh, kw, in, out] -> DL4J [out, in, kh, kw]
        }
        INDArray param = target.paramTable().get(key);
        if (param == null) {
            throw new IOException(file + ": layer " + layer + ": weight '" + weight.name() + "' has no DL4J parameter '"
                    + key + "' (layer has " + target.paramTable().keySet() + ")");
        }
        boolean sameShape = java.util.Arrays.equals(param.shape(), v.shape())
                || (param.length() == v.length() && v.rank() == 1 && param.rank() <= 2);
        if (!sameShape) {
            throw new IOException(file + ": layer " + layer + ": weight '" + weight.name() + "' has shape "
                    + java.util.Arrays.toString(weight.shape()) + ", the graph expects "
                    + java.util.Arrays.toString(param.shape()) + " (DL4J order)");
        }
        param.assign(v.reshape(param.shape()));
    }
}
