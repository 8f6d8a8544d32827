package org.pneumolab.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loads a Keras weight file (HDF5, {@code model.save_weights} layout: one group per layer,
 * datasets at {@code <layer>/<layer>/kernel:0} ...) into a DL4J graph by layer name.
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
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": Keras weight file not found");
        }
        List<String> loaded = new ArrayList<>();
        List<String> notInGraph = new ArrayList<>();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            Hdf5Archive archive;
            try {
                archive = new Hdf5Archive(file.toString());
            } catch (RuntimeException e) {
                throw new IOException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
            }
            try (archive) {
                String[] root = rootOf(archive);
                for (String layer : archive.getGroups(root)) {
                    Map<String, INDArray> weights = new LinkedHashMap<>();
                    collect(archive, file, concat(root, layer), weights);
                    if (weights.isEmpty()) {
                        continue; // activation, pooling, concatenate: no weights
                    }
                    Layer target = graph.getConfiguration().getVertices().containsKey(layer) ? graph.getLayer(layer) : null;
                    if (target == null) {
                        notInGraph.add(layer);
                        continue;
                    }
                    for (var w : weights.entrySet()) {
                        assign(file, layer, target, w.getKey(), w.getValue());
                    }
                    loaded.add(layer);
                }
            } catch (org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
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

    /** Full-model files (model.save) keep the weights under /model_weights; weight files at the root. */
    private static String[] rootOf(Hdf5Archive archive) {
        return archive.getGroups().contains("model_weights") ? new String[]{"model_weights"} : new String[0];
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    /** Datasets of one layer group, at any depth (Keras 2 nests them once: layer/layer/kernel:0). */
    private static void collect(Hdf5Archive archive, Path file, String[] path, Map<String, INDArray> out)
            throws org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException {
        for (String ds : archive.getDataSets(path)) {
            String key = ds.replaceAll(":\\d+$", "");
            out.put(key, archive.readDataSet(ds, path).castTo(DataType.FLOAT));
        }
        if (path.length < 4) {
            for (String sub : archive.getGroups(path)) {
                collect(archive, file, concat(path, sub), out);
            }
        }
    }

    private static void assign(Path file, String layer, Layer target, String kerasName, INDArray value)
            throws IOException {
        String key;
        INDArray v = value;
        switch (kerasName) {
            case "kernel" -> {
                key = "W";
                if (v.rank() == 4) {
                    v = v.permute(3, 2, 0, 1);
                }
            }
            case "bias" -> key = "b";
            case "gamma" -> key = "gamma";
            case "beta" -> key = "beta";
            case "moving_mean" -> key = "mean";
            case "moving_variance" -> key = "var";
            default -> throw new IOException(file + ": layer " + layer + ": unsupported weight '" + kerasName + "'");
        }
        INDArray param = target.paramTable().get(key);
        if (param == null) {
            throw new IOException(file + ": layer " + layer + ": weight '" + kerasName + "' has no DL4J parameter '"
                    + key + "' (layer has " + target.paramTable().keySet() + ")");
        }
        boolean sameShape = java.util.Arrays.equals(param.shape(), v.shape())
                || (param.length() == v.length() && v.rank() == 1 && param.rank() <= 2);
        if (!sameShape) {
            throw new IOException(file + ": layer " + layer + ": weight '" + kerasName + "' has shape "
                    + java.util.Arrays.toString(value.shape()) + ", the graph expects "
                    + java.util.Arrays.toString(param.shape()) + " (DL4J order)");
        }
        param.assign(v.reshape(param.shape()));
    }
}
