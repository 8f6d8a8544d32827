package org.pneumolab.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FastPathTest {
    private static final Set<String> AVX512_CPU = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd",
            "avx512bw", "avx512dq", "avx512vl");

    @Test
    void picksTheBestBuildTheCpuRunsAndTheClassPathHas() {
        assertEquals("-onednn-avx512", FastPath.bestExtension("linux-x86_64", AVX512_CPU, b -> true));
        assertEquals("-onednn-avx2", FastPath.bestExtension("linux-x86_64", Set.of("avx", "avx2", "fma"), b -> true));
        // AVX-512F alone (e.g. Knights Landing) lacks BW/DQ/VL: the AVX-512 build would crash.
        assertEquals("-onednn-avx2", FastPath.bestExtension("linux-x86_64", Set.of("avx2", "fma", "avx512f"), b -> true));
        assertEquals("", FastPath.bestExtension("linux-x86_64", Set.of("sse4_2", "avx"), b -> true));
        assertEquals("-avx512", FastPath.bestExtension("linux-x86_64", AVX512_CPU,
                b -> !b.contains("onednn")));
        assertEquals("", FastPath.bestExtension("linux-x86_64", AVX512_CPU, b -> false));
        assertEquals("", FastPath.bestExtension("macosx-arm64", AVX512_CPU, b -> true));
    }

    @Test
    void enableRespectsAPresetBuildAndKeepsHelpersOn() {
        FastPath.Enablement e = FastPath.enable(); // the session listener already ran it once
        assertTrue(e.helpersEnabled(), "helpers must be on in the test JVM");
        assertEquals(System.getProperty(FastPath.EXTENSION_PROPERTY, ""), e.extension());
    }

    @Test
    void oneDnnHelperRunsTheConvolutionAndMatchesThePlainPath() throws Exception {
        FastPath.Status status = FastPath.status();
        assumeTrue(!status.bestForThisCpu().isEmpty(), "no oneDNN build for this CPU: " + status.summary());
        assertTrue(status.nativeBuild().endsWith(status.bestForThisCpu()), status.summary());
        assertTrue(status.onednnInBuild(), status.summary());
        assertTrue(status.onednnCheckPasses(), "DL4J's oneDNN check fails: " + status.summary());
        assertTrue(status.active(), status.summary());

        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerNetwork fast = network(format);
            MultiLayerNetwork plain = withHelpersDisabled(() -> network(format));
            plain.setParams(fast.params().dup());

            org.deeplearning4j.nn.layers.convolution.ConvolutionLayer conv =
                    (org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) fast.getLayer(0);
            assertInstanceOf(MKLDNNConvHelper.class, conv.getHelper(), "fast net's conv helper");
            assertNull(plain.getLayer(0).getHelper(), "plain net must have no helper");
            CountingHelper counter = new CountingHelper((ConvolutionHelper) conv.getHelper());
            field("helper").set(conv, counter);

            long[] shape = format == CNN2DFormat.NCHW ? new long[] {4, 3, 20, 24} : new long[] {4, 20, 24, 3};
            INDArray x = Nd4j.rand(DataType.FLOAT, shape);
            INDArray convFast = fast.feedForwardToLayer(0, x, false).get(1);
            INDArray convPlain = plain.feedForwardToLayer(0, x, false).get(1);

            assertTrue(counter.preOutputCalls.get() > 0, format + ": helper never called");
            assertEquals(counter.preOutputCalls.get(), counter.preOutputResults.get(),
                    format + ": helper returned null, layer fell back to im2col");
            assertEquals(0, field("helperCountFail").getInt(conv), format + ": helper failed");
            assertTrue(convPlain.amaxNumber().doubleValue() > 0.01, "activations must not be trivially zero");
            double diff = convFast.sub(convPlain).amaxNumber().doubleValue();
            assertTrue(diff < 1e-5, format + ": conv outputs differ by " + diff);
            double outDiff = fast.output(x).sub(plain.output(x)).amaxNumber().doubleValue();
            assertTrue(outDiff < 1e-5, format + ": network outputs differ by " + outDiff);
        }
    }

    private static MultiLayerNetwork network(CNN2DFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(format).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(20, 24, 3, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static <T> T withHelpersDisabled(java.util.function.Supplier<T> build) {
        String before = System.getProperty(FastPath.HELPERS_DISABLE_PROPERTY);
        System.setProperty(FastPath.HELPERS_DISABLE_PROPERTY, "true");
        try {
            return build.get();
        } finally {
            if (before == null) {
                System.clearProperty(FastPath.HELPERS_DISABLE_PROPERTY);
            } else {
                System.setProperty(FastPath.HELPERS_DISABLE_PROPERTY, before);
            }
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** Wraps DL4J's helper to count the forward calls it really served. */
    private static final class CountingHelper implements ConvolutionHelper {
        final ConvolutionHelper inner;
        final AtomicInteger preOutputCalls = new AtomicInteger();
        final AtomicInteger preOutputResults = new AtomicInteger();

        CountingHelper(ConvolutionHelper inner) {
            this.inner = inner;
        }

        @Override
        public boolean checkSupported() {
            return inner.checkSupported();
        }

        @Override
        public Map<String, Long> helperMemoryUse() {
            return inner.helperMemoryUse();
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias,
                INDArray delta, int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                INDArray weightGradView, IActivation afn,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
                ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr mgr) {
            return inner.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView,
                    weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format, mgr);
        }

        @Override
        public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides,
                int[] pad, org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo fwdAlgo,
                ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr mgr) {
            preOutputCalls.incrementAndGet();
            INDArray out = inner.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo,
                    convolutionMode, dilation, format, mgr);
            if (out != null) {
                preOutputResults.incrementAndGet();
            }
            return out;
        }

        @Override
        public INDArray activate(INDArray z, IActivation afn, boolean training) {
            return inner.activate(z, afn, training);
        }
    }

    @Test
    void statusNamesTheLoadedBuild() {
        FastPath.Status s = FastPath.status();
        assertNotNull(s.nativeBuild());
        assertTrue(s.nativeBuild().startsWith(org.bytedeco.javacpp.Loader.getPlatform()), s.nativeBuild());
        assertTrue(s.summary().contains(s.nativeBuild()));
    }
}
