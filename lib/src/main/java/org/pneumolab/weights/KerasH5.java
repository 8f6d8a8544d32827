package org.pneumolab.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a Keras weight file (HDF5) the way Keras's own {@code load_weights_from_hdf5_group} does:
 * the root attribute {@code layer_names} lists the layers in order, each layer's group has the
 * attribute {@code weight_names}, and a layer's weights are the datasets at those names, in that
 * order. Dataset names are never parsed, so both layouts Keras has written read alike:
 * <ul>
 *   <li>Keras 2: {@code conv1_conv/conv1_conv/kernel:0}, {@code .../bias:0};</li>
 *   <li>Keras 1 (the VGG16 notop file every Keras version still downloads): datasets directly in
 *       the layer group, {@code block1_conv1/block1_conv1_W_1:0} and {@code block1_conv1_b_1:0}.</li>
 * </ul>
 * A full-model file ({@code model.save}) keeps the same structure under {@code /model_weights}.
 * Conv kernels are returned as stored: {@code [kh, kw, in, out]} in every file here (the
 * {@code tf_dim_ordering_tf_kernels} files); callers convert to their own layout.
 */
public final class KerasH5 {
    private KerasH5() {
    }

    /** One weight of a layer: its name in the file and its values, as stored (float). */
    public record Weight(String name, INDArray value) {
        public long[] shape() {
            return value.shape();
        }
    }

    /**
     * A whole file: layers in {@code layer_names} order (layers without weights, such as pooling,
     * are kept with an empty list, as Keras lists them).
     */
    public record Contents(Path file, Map<String, List<Weight>> layers) {
        /** The layers that carry weights, in file order. */
        public List<String> weightedLayers() {
            return layers.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        }

        public List<Weight> weights(String layer) {
            List<Weight> w = layers.get(layer);
            if (w == null) {
                throw new IllegalArgumentException(file + ": no layer " + layer);
            }
            return w;
        }
    }

    /** Reads the layer list and every weight. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": Keras weight file not found");
        }
        synchronized (Hdf5Archive.LOCK_OBJECT) { // the HDF5 library is not thread-safe; DL4J locks on this
            org.bytedeco.hdf5.Exception.dontPrint();
            H5File h5;
            try {
                h5 = new H5File(file.toString(), org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY());
            } catch (RuntimeException e) {
                throw new IOException(file + ": not a readable HDF5 file (truncated or not HDF5: " + e.getMessage() + ")", e);
            }
            Group root = null;
            try {
                root = h5.nameExists("model_weights") ? h5.openGroup("model_weights") : h5;
                List<String> names = stringsAttribute(file, root, "layer_names", "/");
                Map<String, List<Weight>> layers = new LinkedHashMap<>();
                for (String layer : names) {
                    if (!root.nameExists(layer)) {
                        throw new IOException(file + ": layer " + layer + " is listed in layer_names but has no group");
                    }
                    Group g = root.openGroup(layer);
                    try {
                        List<Weight> ws = new ArrayList<>();
                        for (String w : stringsAttribute(file, g, "weight_names", layer)) {
                            ws.add(new Weight(w, dataset(file, g, layer, w)));
                        }
                        layers.put(layer, List.copyOf(ws));
                    } finally {
                        g.close();
                    }
                }
                return new Contents(file, java.util.Collections.unmodifiableMap(layers));
            } catch (RuntimeException e) {
                throw new IOException(file + ": unreadable Keras weight file (" + e.getMessage() + ")", e);
            } finally {
                closeGroup(root, h5);
                h5.close();
            }
        }
    }

    /** Only the root's {@code layer_names} (cheap: no weights read); empty when the file is not a readable Keras file. */
    public static List<String> layerNames(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            org.bytedeco.hdf5.Exception.dontPrint();
            try {
                H5File h5 = new H5File(file.toString(), org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY());
                Group root = null;
                try {
                    root = h5.nameExists("model_weights") ? h5.openGroup("model_weights") : h5;
                    return stringsAttribute(file, root, "layer_names", "/");
                } finally {
                    closeGroup(root, h5);
                    h5.close();
                }
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        }
    }

    private static INDArray dataset(Path file, Group g, String layer, String name) throws IOException {
        DataSet ds;
        try {
            ds = g.openDataSet(name);
        } catch (RuntimeException e) {
            throw new IOException(file + ": layer " + layer + ": weight " + name + " is listed in weight_names but missing", e);
        }
        try {
            int rank;
            long[] dims;
            long n;
            DataSpace space = ds.getSpace();
            try {
                rank = space.getSimpleExtentNdims();
                dims = new long[rank];
                space.getSimpleExtentDims(dims);
                n = space.getSimpleExtentNpoints();
            } finally {
                space.close();
            }
            try (FloatPointer fp = new FloatPointer(n)) {
                ds.read(fp, PredType.NATIVE_FLOAT());
                float[] v = new float[(int) n];
                fp.get(v);
                return rank == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, dims, 'c');
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": layer " + layer + ": weight " + name + " cannot be read (truncated file?): "
                    + e.getMessage(), e);
        } finally {
            ds.close();
        }
    }

    /**
     * A fixed-length string array attribute, as h5py writes a list of bytes. Keras splits one
     * longer than HDF5's 64 KiB header limit into {@code name0}, {@code name1}, ... (its
     * save_attributes_to_hdf5_group); both forms are read.
     */
    static List<String> stringsAttribute(Path file, Group g, String name, String where) throws IOException {
        if (g.attrExists(name)) {
            return readStrings(file, g.openAttribute(name), name, where);
        }
        List<String> out = new ArrayList<>();
        for (int chunk = 0; g.attrExists(name + chunk); chunk++) {
            out.addAll(readStrings(file, g.openAttribute(name + chunk), name, where));
        }
        if (out.isEmpty() && !g.attrExists(name + "0")) {
            throw new IOException(file + ": " + where + " has no attribute '" + name + "' (not a Keras weight file)");
        }
        return out;
    }

    private static List<String> readStrings(Path file, Attribute a, String name, String where) throws IOException {
        DataType t = null;
        try {
            t = a.getDataType();
            if (t.isVariableStr()) {
                throw new IOException(file + ": " + where + ": attribute '" + name
                        + "' holds variable-length strings; Keras writes fixed-length ones");
            }
            long n;
            DataSpace s = a.getSpace();
            try {
                n = s.getSimpleExtentNpoints();
            } finally {
                s.close();
            }
            if (n == 0) {
                return List.of(); // a layer without weights: Keras writes an empty (float) array
            }
            if (t._getClass() != org.bytedeco.hdf5.global.hdf5.H5T_STRING) {
                throw new IOException(file + ": " + where + ": attribute '" + name + "' is not a list of strings");
            }
            long len = t.getSize();
            byte[] bytes = new byte[(int) (len * n)];
            try (BytePointer bp = new BytePointer(len * n)) {
                a.read(t, (org.bytedeco.javacpp.Pointer) bp); // not the BytePointer overload: that one is H5std_string&
                bp.get(bytes);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] one = Arrays.copyOfRange(bytes, (int) (i * len), (int) ((i + 1) * len));
                int end = 0;
                while (end < one.length && one[end] != 0) {
                    end++;
                }
                out.add(new String(one, 0, end, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            if (t != null) {
                t.close();
            }
            a.close();
        }
    }

    /**
     * Every HDF5 object is closed here, on the thread that holds the lock: one left to JavaCPP's
     * garbage-collection deallocator would be freed later on its own thread, racing this
     * non-thread-safe library (a JVM crash in H5T__free in a CI run).
     */
    private static void closeGroup(Group root, H5File h5) {
        if (root != null && root != h5) {
            root.close();
        }
    }
}
