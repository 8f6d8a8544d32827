package org.pneumolab.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.zoo.model.ResNet50;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.image.ReducedJpeg;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.runtime.FastPath;

/**
 * {@code pneumo bench [--quick] [--reps N] [--python PATH] [--out FILE.md]}: our forward,
 * fine-tuning and JPEG decode throughput next to PyTorch's and Pillow's, measured in one run,
 * interleaved and repeated, printed as a Markdown table (medians, spreads, ratios). Random weights
 * throughout: speed does not depend on them. {@code --quick} is a smoke run for CI (tiny sizes,
 * one repetition); its numbers mean nothing.
 */
public final class Bench {
    private static final long SEED = 20240501L;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.Enablement fast = FastPath.enable(); // before anything loads ND4J
        int threads = Runtime.getRuntime().availableProcessors();
        BenchConfig cfg = BenchConfig.full(threads);
        String python = "/usr/bin/python3";
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> cfg = BenchConfig.quick(threads);
                case "--reps" -> cfg = cfg.withReps(Integer.parseInt(need(args, ++i, "--reps")));
                case "--python" -> python = need(args, ++i, "--python");
                case "--out" -> outFile = Path.of(need(args, ++i, "--out"));
                default -> {
                    System.err.println("usage: bench [--quick] [--reps N] [--python PATH] [--out FILE.md]");
                    System.exit(2);
                }
            }
        }
        String table = run(cfg, python, fast, System.err);
        System.out.println(table);
        if (outFile != null) {
            AtomicFiles.writeString(outFile, table);
        }
    }

    private static String need(String[] a, int i, String flag) {
        if (i >= a.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return a[i];
    }

    static String run(BenchConfig cfg, String python, FastPath.Enablement fast, PrintStream log) throws Exception {
        String loadBefore = loadAverage();
        StringBuilder header = new StringBuilder();
        header.append(cfg.quick() ? "## Benchmark (--quick smoke run: tiny sizes, numbers not meaningful)\n\n"
                : "## Benchmark\n\n");
        FastPath.Status status = FastPath.status();
        header.append("- ND4J fast path: ").append(status.summary()).append('\n');
        header.append("- threads: ").append(cfg.threads()).append(" (ND4J: ")
                .append(Nd4j.getEnvironment().maxThreads()).append("; PyTorch set to the same)\n");
        header.append("- JPEG decoder: ").append(ReducedJpeg.openCvAvailable() ? "OpenCV reduced" : "ImageIO only")
                .append('\n');
        Nd4j.getRandom().setSeed(SEED);
        List<String> notes = new ArrayList<>();
        MarkdownTable table = new MarkdownTable(cfg.reps());
        Harness harness = new Harness(cfg.reps(), !cfg.quick(), log);
        try (PythonPeer peer = PythonPeer.start(python, cfg.threads(), log)) {
            header.append("- peer: ").append(peer == null ? "absent (" + python + " missing)"
                    : "PyTorch " + peer.torchVersion() + ", Pillow via " + python).append('\n');
            for (Comparison c : comparisons(cfg, peer, notes)) {
                table.add(c, harness.run(c));
                if (c.note() != null) {
                    notes.add(c.title() + ": " + c.note());
                }
            }
        }
        header.append("- load average before / after: ").append(loadBefore).append(" / ").append(loadAverage())
                .append(" (shared machine)\n");
        header.append("- each contestant: ").append(cfg.quick() ? "no" : "1").append(" warm-up, then ").append(cfg.reps())
                .append(" interleaved repetitions, order rotating\n\n");
        StringBuilder out = new StringBuilder(header).append(table);
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    private static List<Comparison> comparisons(BenchConfig cfg, PythonPeer peer, List<String> notes) throws Exception {
        List<Comparison> all = new ArrayList<>();
        int b = cfg.batch();
        // VGG16 forward, both layouts on both sides.
        int vs = cfg.vggSize();
        MultiLayerNetwork vggNchw = Vgg16Net.build(vs, CNN2DFormat.NCHW, true, SEED);
        MultiLayerNetwork vggNhwc = Vgg16Net.build(vs, CNN2DFormat.NHWC, true, SEED);
        INDArray xNchw = Nd4j.rand(DataType.FLOAT, b, 3, vs, vs);
        INDArray xNhwc = xNchw.permute(0, 2, 3, 1).dup();
        all.add(new Comparison("VGG16@" + vs + " forward, batch " + b, "img/s", Workloads.list(
                new Contestant("DL4J NCHW", true, () -> Workloads.forward(vggNchw, xNchw, cfg.vggIters())),
                new Contestant("DL4J NHWC", true, () -> Workloads.forward(vggNhwc, xNhwc, cfg.vggIters())),
                peer(peer, "PyTorch NCHW", "forward vgg16 " + vs + " " + b + " nchw " + cfg.vggIters()),
                peer(peer, "PyTorch channels_last", "forward vgg16 " + vs + " " + b + " channels_last " + cfg.vggIters())),
                null));
        all.add(inceptionRow());
        // ResNet50 forward: the zoo graph is NCHW only.
        int rs = cfg.resnetSize();
        ComputationGraph resnet = (ComputationGraph) ResNet50.builder().numClasses(1000).seed(SEED)
                .inputShape(new int[] {3, rs, rs}).build().init();
        INDArray xr = Nd4j.rand(DataType.FLOAT, b, 3, rs, rs);
        all.add(new Comparison("ResNet50@" + rs + " forward, batch " + b, "img/s", Workloads.list(
                new Contestant("DL4J zoo NCHW", true, () -> Workloads.forward(resnet, xr, cfg.resnetIters())),
                peer(peer, "PyTorch NCHW", "forward resnet50 " + rs + " " + b + " nchw " + cfg.resnetIters()),
                peer(peer, "PyTorch channels_last", "forward resnet50 " + rs + " " + b + " channels_last " + cfg.resnetIters())),
                "DL4J's zoo ResNet50 has no NHWC variant"));
        // Fine-tuning step: blocks 1-4 frozen, block5 + 256-unit head trained with Adam.
        MultiLayerNetwork tuneNchw = Vgg16Net.forFineTuning(vs, CNN2DFormat.NCHW, SEED);
        MultiLayerNetwork tuneNhwc = Vgg16Net.forFineTuning(vs, CNN2DFormat.NHWC, SEED);
        INDArray y = Workloads.labels(b, 2, SEED);
        all.add(new Comparison("VGG16@" + vs + " train step (block5 + head), batch " + b, "img/s", Workloads.list(
                new Contestant("DL4J NCHW", true, () -> Workloads.trainStep(tuneNchw, xNchw, y, cfg.trainIters())),
                new Contestant("DL4J NHWC", true, () -> Workloads.trainStep(tuneNhwc, xNhwc, y, cfg.trainIters())),
                peer(peer, "PyTorch NCHW", "train_vgg16 " + vs + " " + b + " " + cfg.trainIters())),
                "Adam lr 1e-4 on both sides, cross-entropy, random labels"));
        all.add(convLayouts(cfg));
        // JPEG decode + resize.
        DecodeWork dw = DecodeWork.create(cfg.decodeCount(), cfg.decodeSize(), cfg.decodeTarget(), SEED);
        for (int threads : new int[] {1, cfg.threads()}) {
            String cmd = "decode " + dw.folder + " " + cfg.decodeTarget() + " " + threads + " ";
            all.add(new Comparison(String.format(Locale.ROOT, "JPEG %d² gray -> %d², %d thread%s", cfg.decodeSize(),
                    cfg.decodeTarget(), threads, threads == 1 ? "" : "s"), "img/s", Workloads.list(
                    new Contestant("ImageIO full decode + area resize", true, () -> dw.run(false, threads)),
                    new Contestant("ReducedJpeg (OpenCV DCT scaling + INTER_AREA)", true, () -> dw.run(true, threads)),
                    peer(peer, "Pillow decode + BOX resize", cmd + "pillow"),
                    peer(peer, "Pillow draft (DCT scaling) + BOX resize", cmd + "pillow_draft")),
                    threads == 1 ? cfg.decodeCount() + " images held in memory; peer threads: ThreadPoolExecutor" : null));
        }
        return all;
    }

    /** NHWC vs NCHW for plain convolutions: a SameDiff stack and a single DL4J ConvolutionLayer. */
    private static Comparison convLayouts(BenchConfig cfg) {
        int s = cfg.convSize();
        int c = cfg.convChannels();
        int b = cfg.batch();
        Workloads.ConvStack sdNchw = Workloads.ConvStack.build("NCHW", b, s, c, cfg.convDepth(), SEED);
        Workloads.ConvStack sdNhwc = Workloads.ConvStack.build("NHWC", b, s, c, cfg.convDepth(), SEED);
        double gflop = sdNchw.flopsPerImage() / 1e9;
        List<Contestant> list = Workloads.list(
                new Contestant("SameDiff conv2d x" + cfg.convDepth() + " NCHW", true, () -> gflop * sdNchw.run(cfg.convIters())),
                new Contestant("SameDiff conv2d x" + cfg.convDepth() + " NHWC", true, () -> gflop * sdNhwc.run(cfg.convIters())));
        for (CNN2DFormat f : CNN2DFormat.values()) {
            Layer layer = singleConv(f, s, c);
            long[] shape = f == CNN2DFormat.NCHW ? new long[] {b, c, s, s} : new long[] {b, s, s, c};
            INDArray x = Nd4j.rand(DataType.FLOAT, shape);
            double perImage = 2.0 * 9 * c * c * s * s / 1e9;
            list.add(new Contestant("DL4J ConvolutionLayer " + f, true, () -> {
                long t = System.nanoTime();
                for (int i = 0; i < cfg.convIters() * cfg.convDepth(); i++) {
                    layer.activate(x, false, LayerWorkspaceMgr.noWorkspaces());
                }
                return perImage * Workloads.perSecond((long) b * cfg.convIters() * cfg.convDepth(), t);
            }));
        }
        return new Comparison(String.format(Locale.ROOT, "3x3 conv %dch @%d², batch %d", c, s, b), "GFLOP/s", list,
                "layout comparison on our side only (no peer)");
    }

    private static Layer singleConv(CNN2DFormat f, int size, int channels) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(channels).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(f).activation(Activation.RELU).build())
                .layer(new CnnLossLayer.Builder().activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(size, size, channels, f)).build());
        net.init();
        return net.getLayer(0);
    }

    private static Comparison inceptionRow() {
        String why;
        try {
            Class.forName("org.pneumolab.classify.Backbones");
            why = "org.pneumolab.classify.Backbones is present but not wired into the bench yet";
        } catch (ClassNotFoundException e) {
            why = "InceptionV3 builder (org.pneumolab.classify.Backbones, branch classify) not on this branch";
        }
        String reason = why;
        return new Comparison("InceptionV3@299 forward", "img/s", Workloads.list(
                new Contestant("DL4J", true, () -> {
                    throw new Contestant.Skipped(reason);
                })), null);
    }

    private static Contestant peer(PythonPeer peer, String label, String command) {
        return new Contestant(label, false, () -> {
            if (peer == null) {
                throw new Contestant.Skipped("no Python");
            }
            return peer.measure(command);
        });
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
