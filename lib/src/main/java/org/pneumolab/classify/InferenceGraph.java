package org.pneumolab.classify;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A frozen base rewritten for inference only: every convolution -> batch norm (-> ReLU) chain
 * becomes one convolution with the batch norm folded into its weights and bias
 * ({@code W' = W * g / sqrt(var + eps)}, {@code b' = (b - mean) * g / sqrt(var + eps) + beta})
 * and the ReLU applied in place on the convolution's output, optionally in NHWC.
 *
 * <p>Why: in inference mode a batch norm is a fixed per-channel affine map, so InceptionV3's 94
 * conv -> BN -> ReLU triples are three full passes over each activation where one convolution
 * does the same arithmetic (measured gain in docs/PERF.md). The fused layer takes the name of
 * the chain's last vertex ({@code activation_k}), so every vertex a study reads (feature layers,
 * cuts, Grad-CAM layers, merges) keeps its name and its value; only the inner conv and
 * batch-norm vertices of a folded chain disappear ({@link #has}).
 *
 * <p>Only for weights that do not train: the folded graph is a copy made from the source's
 * weights at the time of {@link #of}; training, fine-tuning and Grad-CAM's gradients run on the
 * original graph.
 */
public final class InferenceGraph {
    private final ComputationGraph graph;
    private final String output;
    private final CNN2DFormat layout;
    private final int folded;

    private InferenceGraph(ComputationGraph graph, String output, CNN2DFormat layout, int folded) {
        this.graph = graph;
        this.output = output;
        this.layout = layout;
        this.folded = folded;
    }

    /** The layout the featurize pass uses: the faster of the two as measured (docs/PERF.md). */
    public static final CNN2DFormat DEFAULT_LAYOUT = CNN2DFormat.NHWC;

    /** Folded graph of {@code base} up to {@code output}, in {@link #DEFAULT_LAYOUT}. */
    public static InferenceGraph of(Backbone base, String output) {
        return of(base, output, DEFAULT_LAYOUT);
    }

    /**
     * Folds every convolution -> batch norm (-> ReLU/identity activation) chain feeding
     * {@code output} whose inner vertices have no other consumer and are not {@code output}.
     */
    public static InferenceGraph of(Backbone base, String output, CNN2DFormat layout) {
        ComputationGraph source = base.graph();
        ComputationGraphConfiguration conf = source.getConfiguration();
        if (conf.getVertices().get(output) == null) {
            throw new IllegalArgumentException("no vertex named " + output);
        }
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("expected a single-input graph, got " + conf.getNetworkInputs());
        }
        String input = conf.getNetworkInputs().get(0);
        Set<String> keep = ancestors(conf, output);
        Map<String, List<String>> consumers = consumers(conf, keep);

        // chain tail -> [conv, bn or null]; inner vertices are skipped when the new graph is built
        Map<String, Chain> chains = new HashMap<>();
        Set<String> inner = new HashSet<>();
        for (String v : conf.getTopologicalOrderStr()) {
            if (!keep.contains(v) || !(layerOf(conf, v) instanceof ConvolutionLayer c) || !plainConv(c)) {
                continue;
            }
            String bn = single(consumers, v);
            if (bn == null || v.equals(output) || !(layerOf(conf, bn) instanceof BatchNormalization)) {
                continue;
            }
            String tail = bn;
            String act = single(consumers, bn);
            boolean relu = false;
            if (act != null && !bn.equals(output) && layerOf(conf, act) instanceof ActivationLayer a
                    && (isRelu(a.getActivationFn()) || a.getActivationFn() instanceof ActivationIdentity)) {
                relu = isRelu(a.getActivationFn());
                tail = act;
            } else if (!(c.getActivationFn() instanceof ActivationIdentity)) {
                continue; // an activation between conv and BN cannot be folded
            }
            if (!(c.getActivationFn() instanceof ActivationIdentity)) {
                continue;
            }
            chains.put(tail, new Chain(v, bn, relu));
            inner.add(v);
            if (!tail.equals(bn)) {
                inner.add(bn);
            }
        }

        GraphBuilder gb = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs(input)
                .setInputTypes(InputType.convolutional(base.inputSize(), base.inputSize(), 3, layout));
        for (String v : conf.getTopologicalOrderStr()) {
            if (!keep.contains(v) || v.equals(input) || (inner.contains(v) && !chains.containsKey(v))) {
                continue;
            }
            Chain chain = chains.get(v);
            if (chain != null) {
                ConvolutionLayer c = (ConvolutionLayer) layerOf(conf, chain.conv).clone();
                c.setLayerName(v);
                c.setHasBias(true);
                c.setActivationFn(chain.relu ? Activation.RELU.getActivationFunction() : new ActivationIdentity());
                c.setCnn2dDataFormat(layout);
                gb.addLayer(v, layout == CNN2DFormat.NHWC ? NhwcInferenceConvolution.of(c) : c,
                        conf.getVertexInputs().get(chain.conv).toArray(String[]::new));
            } else {
                GraphVertex gv = conf.getVertices().get(v).clone();
                setLayout(gv, layout);
                gb.addVertex(v, gv, conf.getVertexInputs().get(v).toArray(String[]::new));
            }
        }
        ComputationGraph folded = new ComputationGraph(gb.setOutputs(output).build());
        folded.init();
        for (var layer : folded.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Chain chain = chains.get(name);
            if (chain != null) {
                INDArray[] wb = fold(source, chain, conf);
                layer.setParam(ConvolutionParamInitializer.WEIGHT_KEY, wb[0]);
                layer.setParam(ConvolutionParamInitializer.BIAS_KEY, wb[1]);
            } else if (layer.numParams() > 0) {
                layer.setParams(source.getLayer(name).params().dup());
            }
        }
        return new InferenceGraph(folded, output, layout, chains.size());
    }

    /**
     * The base's layers after {@code from} up to its output (a single chain of plain layers, as
     * VGG16's block5_conv3 -> block5_pool after block5_conv2), as a graph whose input is
     * {@code from}'s activation, in {@link #DEFAULT_LAYOUT}: the same layer configurations and
     * weights as the part of {@link #of(Backbone, String)}'s graph after {@code from}, so run on
     * cached {@code from} activations (batch by batch as the pass that made them) it does the
     * same arithmetic on the same values as one pass of the whole base. No batch norm may be on
     * the chain: {@link #of} folds those into the convolution before them, which would then sit
     * on the other side of the cut.
     */
    public static InferenceGraph after(Backbone base, String from) {
        List<String> chain = GraphTail.chainAfter(base, from);
        ComputationGraph source = base.graph();
        ComputationGraphConfiguration conf = source.getConfiguration();
        CNN2DFormat layout = DEFAULT_LAYOUT;
        long[] shape = base.activationShape(from);
        GraphBuilder gb = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs(from)
                .setInputTypes(InputType.convolutional(shape[1], shape[2], shape[0], layout));
        for (String v : chain) {
            if (layerOf(conf, v) instanceof BatchNormalization) {
                throw new IllegalArgumentException(base.name() + ": a batch norm (" + v + ") after " + from
                        + "; the folded pass would fold it across the cut");
            }
            GraphVertex gv = conf.getVertices().get(v).clone();
            setLayout(gv, layout);
            gb.addVertex(v, gv, conf.getVertexInputs().get(v).toArray(String[]::new));
        }
        ComputationGraph tail = new ComputationGraph(gb.setOutputs(base.outputVertex()).build());
        tail.init();
        for (var layer : tail.getLayers()) {
            if (layer.numParams() > 0) {
                layer.setParams(source.getLayer(layer.conf().getLayer().getLayerName()).params().dup());
            }
        }
        return new InferenceGraph(tail, base.outputVertex(), layout, 0);
    }

    private record Chain(String conv, String bn, boolean relu) {
    }

    /** {@code W * s} and {@code (b - mean) * s + beta} with {@code s = gamma / sqrt(var + eps)}, in double. */
    private static INDArray[] fold(ComputationGraph source, Chain chain, ComputationGraphConfiguration conf) {
        var convLayer = source.getLayer(chain.conv);
        var bnLayer = source.getLayer(chain.bn);
        BatchNormalization bnConf = (BatchNormalization) layerOf(conf, chain.bn);
        INDArray w = convLayer.getParam(ConvolutionParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE); // [out, in, kh, kw]
        long out = w.size(0);
        INDArray b = ((ConvolutionLayer) layerOf(conf, chain.conv)).hasBias()
                ? convLayer.getParam(ConvolutionParamInitializer.BIAS_KEY).castTo(DataType.DOUBLE).reshape(out)
                : Nd4j.zeros(DataType.DOUBLE, out);
        INDArray gamma = bnParam(bnLayer, bnConf, BatchNormalizationParamInitializer.GAMMA, out, 1.0);
        INDArray beta = bnParam(bnLayer, bnConf, BatchNormalizationParamInitializer.BETA, out, 0.0);
        INDArray mean = bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(DataType.DOUBLE).reshape(out);
        INDArray var;
        if (bnConf.isUseLogStd()) {
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(new long[] {out}, 10.0, DataType.DOUBLE),
                    bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).castTo(DataType.DOUBLE).reshape(out));
            var = std.mul(std).subi(bnConf.getEps()); // DL4J stores log10(sqrt(var + eps))
        } else {
            var = bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).castTo(DataType.DOUBLE).reshape(out);
        }
        INDArray scale = gamma.div(Transforms.sqrt(var.add(bnConf.getEps()), false));
        INDArray wFolded = w.reshape(out, -1).mulColumnVector(scale.reshape(out, 1)).reshape(w.shape());
        INDArray bFolded = b.sub(mean).muli(scale).addi(beta);
        return new INDArray[] {wFolded.castTo(DataType.FLOAT), bFolded.reshape(1, out).castTo(DataType.FLOAT)};
    }

    private static INDArray bnParam(org.deeplearning4j.nn.api.Layer bn, BatchNormalization conf, String key, long n,
                                    double locked) {
        if (conf.isLockGammaBeta()) {
            return Nd4j.valueArrayOf(new long[] {n}, key.equals(BatchNormalizationParamInitializer.GAMMA)
                    ? conf.getGamma() : conf.getBeta(), DataType.DOUBLE);
        }
        return bn.getParam(key).castTo(DataType.DOUBLE).reshape(n);
    }

    private static boolean plainConv(ConvolutionLayer c) {
        // subclasses (depthwise, separable, deconvolution, 1D/3D) have other weight layouts
        return c.getClass() == ConvolutionLayer.class;
    }

    private static boolean isRelu(IActivation a) {
        return a instanceof ActivationReLU r && r.getMax() == null && r.getThreshold() == null
                && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0.0);
    }

    private static void setLayout(GraphVertex v, CNN2DFormat layout) {
        if (v instanceof LayerVertex lv) {
            Layer l = lv.getLayerConf().getLayer();
            if (l instanceof ConvolutionLayer c && layout == CNN2DFormat.NHWC && plainConv(c)) {
                lv.getLayerConf().setLayer(NhwcInferenceConvolution.of(c));
            } else if (l instanceof ConvolutionLayer c) {
                c.setCnn2dDataFormat(layout);
            } else if (l instanceof SubsamplingLayer s) {
                s.setCnn2dDataFormat(layout);
            } else if (l instanceof BatchNormalization b) {
                b.setCnn2DFormat(layout);
            }
        } else if (v instanceof MergeVertex m) {
            m.setMergeAxis(layout == CNN2DFormat.NHWC ? 3 : 1);
        }
    }

    private static Layer layerOf(ComputationGraphConfiguration conf, String v) {
        return conf.getVertices().get(v) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    private static String single(Map<String, List<String>> consumers, String v) {
        List<String> c = consumers.getOrDefault(v, List.of());
        return c.size() == 1 ? c.get(0) : null;
    }

    private static Set<String> ancestors(ComputationGraphConfiguration conf, String v) {
        Set<String> keep = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(v));
        while (!todo.isEmpty()) {
            String x = todo.pop();
            if (keep.add(x)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(x, List.of()));
            }
        }
        return keep;
    }

    private static Map<String, List<String>> consumers(ComputationGraphConfiguration conf, Set<String> keep) {
        Map<String, List<String>> out = new HashMap<>();
        conf.getVertexInputs().forEach((v, ins) -> {
            if (keep.contains(v)) {
                for (String i : ins) {
                    out.computeIfAbsent(i, k -> new java.util.ArrayList<>()).add(v);
                }
            }
        });
        return out;
    }

    /** The output vertex's activations for preprocessed NCHW input, returned NCHW whatever the layout. */
    public INDArray output(INDArray nchw) {
        Objects.requireNonNull(nchw, "input");
        INDArray x = layout == CNN2DFormat.NHWC ? nchw.permute(0, 2, 3, 1).dup() : nchw;
        INDArray y = graph.outputSingle(false, x);
        return layout == CNN2DFormat.NHWC && y.rank() == 4 ? y.permute(0, 3, 1, 2).dup() : y.detach();
    }

    public ComputationGraph graph() {
        return graph;
    }

    public String outputVertex() {
        return output;
    }

    public CNN2DFormat layout() {
        return layout;
    }

    /** How many conv -> BN (-> ReLU) chains were folded. */
    public int foldedChains() {
        return folded;
    }

    /** Whether the folded graph still has {@code vertex} (inner vertices of folded chains do not). */
    public boolean has(String vertex) {
        return graph.getConfiguration().getVertices().containsKey(vertex);
    }
}
