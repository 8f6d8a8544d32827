package org.pneumolab.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
import org.pneumolab.classify.Backbones;
import org.pneumolab.image.ReducedJpeg;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.runtime.FastPath;

/**
 * {@code pneumo bench [--quick] [--reps N] [--python PATH] [--out FILE.md]}: our forward,
 * fine-tuning, JPEG and DICOM decode throughput next to PyTorch's, Pillow's and pydicom's, the
 * featurize-once speed-up, detector steps and the post-processing sweep, measured in one run,
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

    /** A group of comparisons built just before they run, so models are not all held at once. */
    @FunctionalInterface
    interface Stage {
        List<Comparison> build() throws Exception;
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
        MarkdownTable table = new MarkdownTable();
        Harness harness = new Harness(cfg.reps(), !cfg.quick(), log);
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        Map<String, List<Harness.Outcome>> results = new LinkedHashMap<>();
        try (PythonPeer peer = PythonPeer.start(python, cfg.threads(), log)) {
            header.append("- peer: ").append(peer == null ? "absent (" + python + " missing)"
                    : "PyTorch " + peer.torchVersion() + ", Pillow, pydicom via " + python).append('\n');
            for (Stage stage : stages(cfg, peer, log)) {
                for (Comparison c : build(stage, log)) {
                    List<Harness.Outcome> outcomes = harness.run(c);
                    table.add(c, outcomes);
                    comparisons.put(c.title(), c);
                    results.put(c.title(), outcomes);
                    if (c.note() != null) {
                        notes.add(c.title() + ": " + c.note());
                    }
                }
                System.gc(); // let the stage's models go before the next stage allocates
            }
        }
        header.append("- load average before / after: ").append(loadBefore).append(" / ").append(loadAverage())
                .append(" (shared machine)\n");
        header.append("- each contestant: ").append(cfg.quick() ? "no" : "1").append(" warm-up, then ").append(cfg.reps())
                .append(" interleaved repetitions, order rotating\n\n");
        StringBuilder out = new StringBuilder(header).append(table);
        out.append(cfg.quick() ? "\n### Targets (smoke run: tiny sizes, so these verdicts mean nothing)\n\n"
                : "\n### Targets\n\n");
        for (Target t : targets(cfg)) {
            out.append("- ").append(t.check(comparisons, results)).append('\n');
        }
        if (!notes.isEmpty()) {
            out.append("\n### Notes\n\n");
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    /** A stage that cannot be set up becomes a row saying why, not an aborted run. */
    private static List<Comparison> build(Stage stage, PrintStream log) {
        try {
            return stage.build();
        } catch (Exception | Error e) {
            log.println("[bench] a stage could not be set up: " + e);
            String why = e.toString();
            return List.of(new Comparison("set-up failed", "n/a", Workloads.list(new Contestant("set-up", true, () -> {
                throw new IllegalStateException(why);
            })), null));
        }
    }

    /** The Performance issue's targets, by comparison title. */
    static List<Target> targets(BenchConfig cfg) {
        return List.of(
                Target.faster("VGG16@" + cfg.vggSize() + " forward >= 1.0x PyTorch's best layout",
                        vggTitle(cfg), null, 1.0),
                Target.faster("InceptionV3@" + cfg.inceptionSize() + " forward >= 1.0x PyTorch's best layout",
                        inceptionTitle(cfg), null, 1.0),
                Target.faster("ResNet50@" + cfg.resnetSize() + " forward >= 1.0x PyTorch's best layout",
                        resnetTitle(cfg), null, 1.0),
                Target.faster("DICOM decode + resize, 1 thread >= 2x pydicom + Pillow",
                        dicomTitle(cfg, 1), PYDICOM, 2.0),
                Target.within("Post-processing sweep (1,000 settings x " + cfg.sweepImages() + " images) under 2 s",
                        sweepTitle(cfg), 2.0));
    }

    static final String PYDICOM = "pydicom pixel_array (Pillow) + BOX resize";

    static String vggTitle(BenchConfig cfg) {
        return "VGG16@" + cfg.vggSize() + " forward, batch " + cfg.batch();
    }

    static String inceptionTitle(BenchConfig cfg) {
        return "InceptionV3@" + cfg.inceptionSize() + " forward (no top), batch " + cfg.batch();
    }

    static String resnetTitle(BenchConfig cfg) {
        return "ResNet50@" + cfg.resnetSize() + " forward, batch " + cfg.batch();
    }

    static String dicomTitle(BenchConfig cfg, int threads) {
        return String.format(Locale.ROOT, "DICOM %s -> %d², %d thread%s", cfg.quick() ? "sample films" : "1024² JPEG Baseline",
                cfg.decodeTarget(), threads, threads == 1 ? "" : "s");
    }

    static String sweepTitle(BenchConfig cfg) {
        return "Post-processing sweep, 1,000 settings x " + cfg.sweepImages() + " images";
    }

    private static List<Stage> stages(BenchConfig cfg, PythonPeer peer, PrintStream log) {
        int b = cfg.batch();
        int vs = cfg.vggSize();
        List<Stage> all = new ArrayList<>();
        // VGG16 forward, both layouts on both sides.
        all.add(() -> {
            MultiLayerNetwork vggNchw = Vgg16Net.build(vs, CNN2DFormat.NCHW, true, SEED);
            MultiLayerNetwork vggNhwc = Vgg16Net.build(vs, CNN2DFormat.NHWC, true, SEED);
            INDArray xNchw = Nd4j.rand(DataType.FLOAT, b, 3, vs, vs);
            INDArray xNhwc = xNchw.permute(0, 2, 3, 1).dup();
            return List.of(new Comparison(vggTitle(cfg), "img/s", Workloads.list(
                    new Contestant("DL4J NCHW", true, () -> Workloads.forward(vggNchw, xNchw, cfg.vggIters())),
                    new Contestant("DL4J NHWC", true, () -> Workloads.forward(vggNhwc, xNhwc, cfg.vggIters())),
                    peer(peer, "PyTorch NCHW", "forward vgg16 " + vs + " " + b + " nchw " + cfg.vggIters()),
                    peer(peer, "PyTorch channels_last", "forward vgg16 " + vs + " " + b + " channels_last " + cfg.vggIters())),
                    null));
        });
        // InceptionV3 without top (Keras's layer graph, org.pneumolab.classify), NCHW like all DL4J graphs here.
        all.add(() -> {
            int is = cfg.inceptionSize();
            ComputationGraph inception = Backbones.inceptionV3(is, SEED, Optional.empty()).graph();
            INDArray xi = Nd4j.rand(DataType.FLOAT, b, 3, is, is);
            return List.of(new Comparison(inceptionTitle(cfg), "img/s", Workloads.list(
                    new Contestant("DL4J NCHW (classify.Backbones)", true,
                            () -> Workloads.forward(inception, xi, cfg.inceptionIters())),
                    peer(peer, "PyTorch NCHW", "forward inception_v3 " + is + " " + b + " nchw " + cfg.inceptionIters()),
                    peer(peer, "PyTorch channels_last",
                            "forward inception_v3 " + is + " " + b + " channels_last " + cfg.inceptionIters())),
                    "both sides end at mixed10 (Keras include_top=False); random weights"));
        });
        // ResNet50 forward: the zoo graph is NCHW only.
        all.add(() -> {
            int rs = cfg.resnetSize();
            ComputationGraph resnet = (ComputationGraph) ResNet50.builder().numClasses(1000).seed(SEED)
                    .inputShape(new int[] {3, rs, rs}).build().init();
            INDArray xr = Nd4j.rand(DataType.FLOAT, b, 3, rs, rs);
            return List.of(new Comparison(resnetTitle(cfg), "img/s", Workloads.list(
                    new Contestant("DL4J zoo NCHW", true, () -> Workloads.forward(resnet, xr, cfg.resnetIters())),
                    peer(peer, "PyTorch NCHW", "forward resnet50 " + rs + " " + b + " nchw " + cfg.resnetIters()),
                    peer(peer, "PyTorch channels_last", "forward resnet50 " + rs + " " + b + " channels_last " + cfg.resnetIters())),
                    "DL4J's zoo ResNet50 has no NHWC variant"));
        });
        // Fine-tuning step: blocks 1-4 frozen, block5 + 256-unit head trained with Adam.
        all.add(() -> {
            MultiLayerNetwork tuneNchw = Vgg16Net.forFineTuning(vs, CNN2DFormat.NCHW, SEED);
            MultiLayerNetwork tuneNhwc = Vgg16Net.forFineTuning(vs, CNN2DFormat.NHWC, SEED);
            INDArray xNchw = Nd4j.rand(DataType.FLOAT, b, 3, vs, vs);
            INDArray xNhwc = xNchw.permute(0, 2, 3, 1).dup();
            INDArray y = Workloads.labels(b, 2, SEED);
            return List.of(new Comparison("VGG16@" + vs + " train step (block5 + head), batch " + b, "img/s", Workloads.list(
                    new Contestant("DL4J NCHW", true, () -> Workloads.trainStep(tuneNchw, xNchw, y, cfg.trainIters())),
                    new Contestant("DL4J NHWC", true, () -> Workloads.trainStep(tuneNhwc, xNhwc, y, cfg.trainIters())),
                    peer(peer, "PyTorch NCHW", "train_vgg16 " + vs + " " + b + " " + cfg.trainIters())),
                    "Adam lr 1e-4 on both sides, cross-entropy, random labels"));
        });
        all.add(() -> List.of(convLayouts(cfg)));
        // JPEG decode + resize.
        all.add(() -> {
            DecodeWork dw = DecodeWork.create(cfg.decodeCount(), cfg.decodeSize(), cfg.decodeTarget(), SEED);
            List<Comparison> out = new ArrayList<>();
            for (int threads : new int[] {1, cfg.threads()}) {
                String cmd = "decode " + dw.folder + " " + cfg.decodeTarget() + " " + threads + " ";
                out.add(new Comparison(String.format(Locale.ROOT, "JPEG %d² gray -> %d², %d thread%s", cfg.decodeSize(),
                        cfg.decodeTarget(), threads, threads == 1 ? "" : "s"), "img/s", Workloads.list(
                        new Contestant("ImageIO full decode + area resize", true, () -> dw.run(false, threads)),
                        new Contestant("ReducedJpeg (OpenCV DCT scaling + INTER_AREA)", true, () -> dw.run(true, threads)),
                        peer(peer, "Pillow decode + BOX resize", cmd + "pillow"),
                        peer(peer, "Pillow draft (DCT scaling) + BOX resize", cmd + "pillow_draft")),
                        threads == 1 ? cfg.decodeCount() + " images held in memory; peer threads: ThreadPoolExecutor" : null));
            }
            return out;
        });
        // DICOM decode + resize on the sample's films.
        all.add(() -> {
            DicomWork dw = DicomWork.prepare(cfg.dicomCount(), cfg.decodeTarget(), cfg.quick(), SEED, log);
            List<Comparison> out = new ArrayList<>();
            for (int threads : new int[] {1, cfg.threads()}) {
                String cmd = "dicom " + dw.folder + " " + cfg.decodeTarget() + " " + threads + " ";
                out.add(new Comparison(dicomTitle(cfg, threads), "img/s", Workloads.list(
                        new Contestant("DicomImages.readGray8 (full decode) + area resize", true,
                                () -> dw.run(DicomWork.Mode.FULL, threads)),
                        new Contestant("encapsulated frame -> ReducedJpeg (DCT-scaled) + INTER_AREA", true,
                                () -> dw.run(DicomWork.Mode.REDUCED, threads)),
                        new Contestant("data pipeline: ImagePipeline.prepare (reads file, reduced DICOM)", true,
                                () -> dw.run(DicomWork.Mode.PIPELINE, threads)),
                        peer(peer, PYDICOM, cmd + "pixel_array"),
                        peer(peer, "pydicom parse + Pillow draft (DCT scaling) + BOX resize", cmd + "draft")),
                        threads == 1 ? dw.origin + ", bytes held in memory and parsed every time (the pipeline row "
                                + "reads its file); peer threads: ThreadPoolExecutor" : null));
            }
            return out;
        });
        // Featurize once vs the frozen base every epoch.
        for (int size : cfg.featurizeSizes()) {
            all.add(() -> List.of(FeaturizeWork.comparison(size, cfg.featurizeImages(), cfg.featurizeBatch(), SEED)));
        }
        // Detectors: training step and inference at the sample size, and the paper's.
        all.add(() -> {
            DetectorWork.Pair p = DetectorWork.sample(SEED);
            return List.of(DetectorWork.training(p, cfg.detectorBatch(), SEED),
                    DetectorWork.inference(p, cfg.detectorImages(), SEED));
        });
        if (cfg.paperDetectors()) {
            all.add(() -> {
                DetectorWork.Pair p = DetectorWork.paper(SEED);
                return List.of(DetectorWork.training(p, cfg.paperBatch(), SEED),
                        DetectorWork.inference(p, cfg.paperImages(), SEED));
            });
        }
        // The post-processing sweep.
        all.add(() -> {
            SweepWork sw = SweepWork.synthetic(cfg.sweepImages(), SEED);
            return List.of(new Comparison(sweepTitle(cfg), Unit.time("s/sweep", 1), Workloads.list(
                    new Contestant("Sweep.run (SweepGrid.standard())", true, sw::run)),
                    sw.raw.totalBoxes() + " raw boxes (5-30 per image, seeded); "
                            + Runtime.getRuntime().availableProcessors() + " cores", null));
        });
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
