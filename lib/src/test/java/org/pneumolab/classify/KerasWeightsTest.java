package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Keras .h5 loader on a small file written by h5py in Keras's save_weights layout (root
 * attribute layer_names, per-layer weight_names, datasets layer/layer/kernel:0) for a net with
 * InceptionV3's naming: conv2d_1 (no bias) -> batch_normalization_1 (scale=False) -> ReLU ->
 * conv2d_2 (3x1, with bias). Weights must land exactly and the forward pass must match numpy.
 */
class KerasWeightsTest {
    private static final String PYTHON = "/usr/bin/python3";

    private static final String SCRIPT = """
            import sys, numpy as np, h5py
            out = sys.argv[1]
            rng = np.random.default_rng(7)
            k1 = rng.normal(size=(3, 3, 3, 4)).astype('f4')          # kh, kw, in, out
            beta = rng.normal(size=4).astype('f4')
            mean = rng.normal(size=4).astype('f4')
            var = rng.uniform(0.5, 2.0, size=4).astype('f4')
            k2 = rng.normal(size=(3, 1, 4, 2)).astype('f4')
            b2 = rng.normal(size=2).astype('f4')
            layers = [('input_1', {}), ('conv2d_1', {'kernel:0': k1}),
                      ('batch_normalization_1', {'beta:0': beta, 'moving_mean:0': mean, 'moving_variance:0': var}),
                      ('activation_1', {}), ('conv2d_2', {'kernel:0': k2, 'bias:0': b2})]
            with h5py.File(out + '/weights.h5', 'w') as f:
                f.attrs['layer_names'] = np.array([n.encode() for n, _ in layers])
                f.attrs['backend'] = b'tensorflow'
                f.attrs['keras_version'] = b'2.1.5'
                for name, ws in layers:
                    g = f.create_group(name)
                    g.attrs['weight_names'] = np.array([(name + '/' + w).encode() for w in ws])
                    for w, v in ws.items():
                        g.create_dataset(name + '/' + w, data=v)
            x = rng.uniform(0, 1, size=(2, 7, 6, 3)).astype('f4')         # NHWC, as Keras
            def conv(x, k, b=None):
                kh, kw, ci, co = k.shape
                n, h, w, _ = x.shape
                y = np.zeros((n, h - kh + 1, w - kw + 1, co), 'f8')
                for i in range(h - kh + 1):
                    for j in range(w - kw + 1):
                        y[:, i, j, :] = np.tensordot(x[:, i:i+kh, j:j+kw, :], k, axes=([1, 2, 3], [0, 1, 2]))
                return y if b is None else y + b
            y = conv(x, k1)
            y = (y - mean) / np.sqrt(var + 1e-3) + beta
            y = np.maximum(y, 0)
            y = conv(y, k2, b2)
            np.savetxt(out + '/x.txt', x.transpose(0, 3, 1, 2).ravel())  # to NCHW
            np.savetxt(out + '/y.txt', y.transpose(0, 3, 1, 2).ravel())
            np.savetxt(out + '/k1.txt', k1.transpose(3, 2, 0, 1).ravel())  # DL4J [out, in, kh, kw]
            np.savetxt(out + '/k2.txt', k2.transpose(3, 2, 0, 1).ravel())
            np.savetxt(out + '/bn.txt', np.concatenate([beta, mean, var]))
            np.savetxt(out + '/b2.txt', b2)
            """;

    private static ComputationGraph smallNet(boolean extraLayer) {
        var g = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1")
                .setInputTypes(InputType.convolutional(7, 6, 3));
        String a = InceptionV3Graph.conv2dBn(g, 1, "input_1", 4, 3, 3, 1, false);
        g.addLayer("conv2d_2", new ConvolutionLayer.Builder(3, 1).nOut(2).activation(Activation.IDENTITY)
                .convolutionMode(ConvolutionMode.Truncate).build(), a);
        String out = "conv2d_2";
        if (extraLayer) {
            g.addLayer("conv2d_3", new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.IDENTITY).build(), out);
            out = "conv2d_3";
        }
        ComputationGraph net = new ComputationGraph(g.setOutputs(out).build());
        net.init();
        return net;
    }

    private static INDArray text(Path p, long... shape) throws IOException {
        double[] v = Files.readAllLines(p).stream().filter(s -> !s.isBlank()).mapToDouble(Double::parseDouble).toArray();
        return Nd4j.create(v, shape).castTo(DataType.FLOAT);
    }

    private static void writeFile(Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " with h5py");
        Path script = dir.resolve("make.py");
        Files.writeString(script, SCRIPT);
        Process p = new ProcessBuilder(PYTHON, script.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "python failed: " + log);
    }

    @Test
    void weightsLandExactlyAndForwardMatchesNumpy(@TempDir Path dir) throws Exception {
        writeFile(dir);
        ComputationGraph net = smallNet(false);
        KerasWeights.Report report = KerasWeights.load(dir.resolve("weights.h5"), net);
        assertEquals(java.util.List.of("conv2d_1", "batch_normalization_1", "conv2d_2"),
                report.loadedLayers().stream().sorted((a, b) -> order(a) - order(b)).toList());
        assertTrue(report.complete(), "missing " + report.graphLayersWithoutWeights());

        assertEquals(text(dir.resolve("k1.txt"), 4, 3, 3, 3), net.getLayer("conv2d_1").getParam("W"));
        assertEquals(text(dir.resolve("k2.txt"), 2, 4, 3, 1), net.getLayer("conv2d_2").getParam("W"));
        assertEquals(text(dir.resolve("b2.txt"), 2), net.getLayer("conv2d_2").getParam("b").reshape(2));
        INDArray bn = text(dir.resolve("bn.txt"), 12);
        var bnl = net.getLayer("batch_normalization_1");
        assertEquals(bn.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)), bnl.getParam("beta").reshape(4));
        assertEquals(bn.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)), bnl.getParam("mean").reshape(4));
        assertEquals(bn.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 12)), bnl.getParam("var").reshape(4));
        assertEquals(Nd4j.ones(DataType.FLOAT, 4), bnl.getParam("gamma").reshape(4), "scale=False: gamma stays 1");

        INDArray x = text(dir.resolve("x.txt"), 2, 3, 7, 6);
        INDArray expected = text(dir.resolve("y.txt"), 2, 2, 3, 4);
        INDArray y = net.outputSingle(false, x);
        assertArrayEquals(expected.shape(), y.shape());
        double maxErr = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(y.sub(expected)))
                .getDouble(0);
        assertTrue(maxErr < 1e-4, "forward differs from numpy by " + maxErr);
    }

    private static int order(String layer) {
        return switch (layer) {
            case "conv2d_1" -> 0;
            case "batch_normalization_1" -> 1;
            default -> 2;
        };
    }

    @Test
    void reportsGraphLayersTheFileLacks(@TempDir Path dir) throws Exception {
        writeFile(dir);
        KerasWeights.Report report = KerasWeights.load(dir.resolve("weights.h5"), smallNet(true));
        assertEquals(java.util.List.of("conv2d_3"), report.graphLayersWithoutWeights());
    }

    @Test
    void badFilesNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.h5");
        IOException e1 = assertThrows(IOException.class, () -> KerasWeights.load(missing, smallNet(false)));
        assertTrue(e1.getMessage().contains("nope.h5"), e1.getMessage());
        Path junk = dir.resolve("junk.h5");
        Files.writeString(junk, "not hdf5");
        IOException e2 = assertThrows(IOException.class, () -> KerasWeights.load(junk, smallNet(false)));
        assertTrue(e2.getMessage().contains("junk.h5"), e2.getMessage());
        assertTrue(Arrays.asList(e2.getMessage().split(" ")).size() > 1);
    }
}
