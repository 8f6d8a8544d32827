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

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.image.ReducedJpeg;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.runtime.FastPath;
import org.pneumolab.runtime.NativeMemory;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

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
    /** {@code --only}: run just the comparisons whose title matches (a rerun of some rows). */
    private static java.util.regex.Pattern ONLY;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        org.pneumolab.runtime.QuietLogs.apply(); // before any logger exists: no ND4J import-table warnings
        FastPath.Enablement fast = FastPath.enable(); // before anything loads ND4J
        Options o;
        try {
            o = Options.parse(args, Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: bench " + USAGE);
            System.exit(2);
            return;
        }
        BenchConfig cfg = o.cfg();
        String python = o.python();
        Path outFile = o.outFile();
        java.util.regex.Pattern only = o.only();
        Path partial = outFile == null ? null : outFile.resolveSibling(outFile.getFileName() + ".partial");
        ONLY = only;
        String table = run(cfg, python, fast, System.err, partial);
        if (partial != null) {
            java.nio.file.Files.deleteIfExists(partial);
        }
        System.out.println(table);
        if (outFile != null) {
            AtomicFiles.writeString(outFile, table);
        }
    }

    /** {@code bin/pneumo bench}'s arguments; a test holds {@code bin/pneumo help} to this line. */
    static final String USAGE = "[--quick] [--reps N] [--python PATH] [--out FILE.md] [--only REGEX]";

    /** The parsed arguments: the configuration, the peers' Python, the table's file, the rows to run. */
    record Options(BenchConfig cfg, String python, Path outFile, java.util.regex.Pattern only) {
        static Options parse(String[] args, int threads) {
            BenchConfig cfg = BenchConfig.full(threads);
            String python = "/usr/bin/python3";
            Path outFile = null;
            java.util.regex.Pattern only = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> cfg = BenchConfig.quick(threads);
                    case "--reps" -> cfg = cfg.withReps(Integer.parseInt(need(args, ++i, "--reps")));
                    case "--python" -> python = need(args, ++i, "--python");
                    case "--out" -> outFile = Path.of(need(args, ++i, "--out"));
                    case "--only" -> only = java.util.regex.Pattern.compile(need(args, ++i, "--only"));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            return new Options(cfg, python, outFile, only);
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
        return run(cfg, python, fast, log, null);
    }

    /**
     * As above; with {@code partial} non-null the rows measured so far are written there
     * (atomically) after every comparison, so a long run stopped early still leaves its numbers.
     */
    static String run(BenchConfig cfg, String python, FastPath.Enablement fast, PrintStream log, Path partial)
            throws Exception {
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
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        Map<String, List<Harness.Outcome>> results = new LinkedHashMap<>();
        try (PythonPeer peer = PythonPeer.start(python, cfg.threads(), log)) {
            header.append("- peer: ").append(peer == null ? "absent (" + python + " missing)"
                    : "PyTorch " + peer.torchVersion() + ", Pillow, pydicom via " + python).append('\n');
            if (peer != null) {
                header.append("- peer processes' allocator: ").append(new java.util.TreeMap<>(PythonPeer.ALLOCATOR))
                        .append(" (the long-lived and every standalone twin alike)\n");
            }
            String blas = peer == null ? null : peer.blas();
            if (peer != null && peer.torchAvailable()) {
                header.append("- peer's BLAS: ").append(PeerBlas.describe(blas)).append('\n');
            }
            String unfit = peer == null ? null : PeerBlas.problem(blas);
            if (unfit != null && !cfg.quick()) {
                log.println("[bench] " + unfit);
            }
            Harness harness = new Harness(cfg.reps(), !cfg.quick(), !cfg.quick(), unfit, cfg.minSampleSeconds(), log);
            MemoryLog memory = new MemoryLog(log);
            for (Stage stage : stages(cfg, peer, log)) {
                // every stage starts at the machine's thread count (what the classification path's
                // featurize and fine-tuning run with; its heads' steps take NativeThreads.smallStepCount
                // themselves); the detector stages then take their profile's policy (NativeThreads),
                // as a notebook or `pneumo` run of that profile would
                NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(cfg.threads());
                runStage(stage, harness, memory, log, new Collected(table, comparisons, results, notes), partial,
                        header);
                memory.afterStage(); // the stage's rows lived in runStage's frame only: its models can go now
            }
            String host = harness.hostSummary();
            if (host != null) {
                header.append("- ").append(host).append(" (a row where it read ").append(HostProbe.UNSTEADY)
                        .append("x or more says so beside its verdict)\n");
            }
        }
        header.append("- load average before / after: ").append(loadBefore).append(" / ").append(loadAverage())
                .append(" (shared machine)\n");
        header.append("- each contestant: ").append(cfg.quick() ? "no warm-up" : String.format(Locale.ROOT,
                        "1 warm-up call, and more rounds of one while Java's JIT compiled for over %.0f%% of the last "
                        + "(at most %d more, %.0f s)", 100 * Harness.JIT_QUIET_FRACTION, Harness.MAX_JIT_ROUNDS,
                        Harness.MAX_JIT_WARMUP_SECONDS))
                .append(", then ").append(cfg.reps()).append(" interleaved samples, order rotating");
        if (cfg.minSampleSeconds() > 0) {
            header.append(String.format(Locale.ROOT, "; a sample is as many consecutive calls as make the row's fastest "
                    + "contestant's sample last %.1f s (column n: samples x calls; the same count on every side, the "
                    + "slowest's sample kept within %.0f s), set by one more untimed call each when the warm-up was "
                    + "shorter; where a sample is several calls, untimed rounds of a sample's length follow "
                    + "until the JIT compiled for at most %.0f%% of one", cfg.minSampleSeconds(), Harness.MAX_SAMPLE_SECONDS,
                    100 * Harness.JIT_QUIET_FRACTION));
        }
        if (!cfg.quick()) {
            header.append("; in a row whose contestants are all ours, each sample starts after a full GC (untimed), so "
                    + "none pays for the native garbage of the one before it");
        }
        header.append('\n');
        if (cfg.paperDetectors()) {
            header.append("- paper detectors: each side trains its model ").append(cfg.paperSettle())
                    .append(" untimed steps on the row's data before the warm-up; the peer's twin first trains its fresh "
                            + "model as many steps as the long-lived peer's had when the row began (training) or had "
                            + "trained (inference)\n");
        }
        header.append("- memory: after every row our detectors' session caches are released (Detector.releaseCaches, "
                + "as training does when it ends) and freed native memory goes back to the system (malloc_trim, "
                + (NativeMemory.available() ? "available" : "not available here") + "); the resident size after "
                + "each row is in the log\n");
        header.append(cfg.quick() ? "- guard off (smoke run)\n\n" : String.format(Locale.ROOT,
                "- guard: every peer also timed alone (a fresh process after the row's rounds, sampled as the row was: "
                        + "%d samples after the same untimed calls); "
                        + "a row whose spread exceeds %.0f%% or whose peer differs from its standalone twin by more than "
                        + "%.0f%% is run again, and if it stays so it says \"unreliable\" instead of a ratio\n\n",
                cfg.reps(), 100 * Reliability.MAX_SPREAD, 100 * Reliability.MAX_TWIN_GAP));
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

    /** Where the rows' figures go: the table, and the detached rows and outcomes the targets read. */
    private record Collected(MarkdownTable table, Map<String, Comparison> comparisons,
                             Map<String, List<Harness.Outcome>> results, List<String> notes) {
    }

    /** Builds one stage's rows and runs them; nothing of them but their figures outlives the call. */
    private static void runStage(Stage stage, Harness harness, MemoryLog memory, PrintStream log, Collected into,
                                 Path partial, CharSequence header) throws Exception {
        for (Comparison c : build(stage, log)) {
            if (ONLY != null && !ONLY.matcher(c.title()).find()) {
                continue;
            }
            List<Harness.Outcome> outcomes = harness.run(c);
            if (c.done() != null) {
                c.done().run();
            }
            memory.afterRow(c.title());
            into.table().add(c, outcomes);
            // the targets read labels and figures only: keep no closure (and so no model) past its stage
            Comparison kept = c.detached();
            into.comparisons().put(c.title(), kept);
            List<Harness.Outcome> keptOutcomes = new ArrayList<>();
            for (Harness.Outcome o : outcomes) {
                keptOutcomes.add(o.on(kept.contestants().get(c.contestants().indexOf(o.contestant()))));
            }
            into.results().put(c.title(), keptOutcomes);
            if (partial != null) {
                AtomicFiles.writeString(partial, header + "- PARTIAL: the rows measured so far (load now "
                        + loadAverage() + ")\n\n" + into.table());
            }
            if (c.note() != null) {
                into.notes().add(c.title() + ": " + c.note());
            }
        }
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
        List<Target> t = new ArrayList<>(List.of(
                Target.faster("VGG16@" + cfg.vggSize() + " forward >= 1.0x PyTorch's best layout",
                        vggTitle(cfg), null, 1.0),
                Target.faster("InceptionV3@" + cfg.inceptionSize() + " forward >= 1.0x PyTorch's best layout",
                        inceptionTitle(cfg), null, 1.0),
                Target.faster("ResNet50@" + cfg.resnetSize() + " forward (detector backbone) >= 1.0x PyTorch's best layout",
                        resnetTitle(cfg), null, 1.0),
                Target.faster("VGG16 fine-tuning step on cached activations >= 1.0x PyTorch", fineTuneTitle(cfg), null, 1.0)));
        if (cfg.paperDetectors()) {
            for (int pb : cfg.paperBatches()) {
                int s = cfg.resnetSize();
                t.add(Target.faster("RetinaNet train step, batch " + pb + " >= 1.0x torchvision",
                        DetectorWork.trainTitle("RetinaNet", s, pb), RETINA_PEER, 1.0));
                t.add(Target.faster("RetinaNet inference, batch " + pb + " >= 1.0x torchvision",
                        DetectorWork.inferTitle("RetinaNet", s, pb), RETINA_PEER, 1.0));
                t.add(Target.faster("Faster R-CNN train step, batch " + pb + " >= 1.0x the C4 peer",
                        DetectorWork.trainTitle("Faster R-CNN", s, pb), FRCNN_PEER, 1.0));
                t.add(Target.faster("Faster R-CNN inference, batch " + pb + " >= 1.0x the C4 peer",
                        DetectorWork.inferTitle("Faster R-CNN", s, pb), FRCNN_PEER, 1.0));
            }
        }
        t.add(Target.faster("Pipeline step (file to model input), 1 thread >= 2x pydicom + Pillow",
                pipelineTitle(cfg), PYDICOM, 2.0));
        t.add(Target.faster("Pipeline step, 1 thread >= 1.0x pydicom + Pillow draft()",
                pipelineTitle(cfg), PYDICOM_DRAFT, 1.0));
        t.add(Target.within("Post-processing sweep (1,000 settings x " + cfg.sweepImages() + " images) under 2 s",
                sweepTitle(cfg), 2.0));
        t.add(Target.within("Ensemble sweep (2 sources, flip TTA, full grid x " + cfg.sweepImages() + " images) under 5 s",
                ensembleSweepTitle(cfg), 5.0));
        return t;
    }

    static final String PYDICOM = "pydicom pixel_array (Pillow) + BOX resize";
    static final String PYDICOM_DRAFT = "pydicom parse + Pillow draft (DCT scaling) + BOX resize";
    static final String PIPELINE = "data pipeline: ImagePipeline.prepare (reads file, reduced DICOM)";
    static final String RETINA_PEER = "torchvision RetinaNet (ResNet50-FPN P3-P7, frozen BN)";
    static final String FRCNN_PEER = "torchvision FasterRCNN on ResNet50 C4 (frozen BN)";

    static String pipelineTitle(BenchConfig cfg) {
        return String.format(Locale.ROOT, "DICOM file -> model input (data pipeline step, %d²), 1 thread",
                cfg.decodeTarget());
    }

    static String vggTitle(BenchConfig cfg) {
        return "VGG16@" + cfg.vggSize() + " forward, batch " + cfg.batch();
    }

    static final String FOLDED_NHWC = "InferenceGraph folded, NHWC (featurize pass)";

    static String fineTuneTitle(BenchConfig cfg) {
        return "VGG16@" + cfg.vggSize() + " fine-tuning step on cached activations, batch " + cfg.fineTuneBatch();
    }

    static String inceptionTitle(BenchConfig cfg) {
        return "InceptionV3@" + cfg.inceptionSize() + " forward (no top), batch " + cfg.batch();
    }

    static String resnetTitle(BenchConfig cfg) {
        return "ResNet50@" + cfg.resnetSize() + " forward to C5 (detector backbone), batch " + cfg.batch();
    }

    static String dicomTitle(BenchConfig cfg, int threads) {
        return String.format(Locale.ROOT, "DICOM %s -> %d², %d thread%s", cfg.quick() ? "sample films" : "1024² JPEG Baseline",
                cfg.decodeTarget(), threads, threads == 1 ? "" : "s");
    }

    static String sweepTitle(BenchConfig cfg) {
        return "Post-processing sweep, 1,000 settings x " + cfg.sweepImages() + " images";
    }

    static String ensembleSweepTitle(BenchConfig cfg) {
        return "Ensemble sweep, 2 sources + flip TTA, full grid x " + cfg.sweepImages() + " images";
    }

    private static List<Stage> stages(BenchConfig cfg, PythonPeer peer, PrintStream log) {
        int b = cfg.batch();
        int vs = cfg.vggSize();
        List<Stage> all = new ArrayList<>();
        // VGG16 forward: the shipped base as built and as the featurize pass runs it (folded, NHWC).
        all.add(() -> {
            Backbone vgg = Backbones.vgg16(vs, SEED);
            INDArray x = Nd4j.rand(DataType.FLOAT, b, 3, vs, vs);
            return List.of(new Comparison(vggTitle(cfg), "img/s", Workloads.list(
                    ClassifyWork.asBuilt("Backbones.vgg16 as built (NCHW)", vgg, x, cfg.vggIters()),
                    ClassifyWork.folded(FOLDED_NHWC, vgg, CNN2DFormat.NHWC, x, cfg.vggIters()),
                    peer(peer, "PyTorch NCHW", "forward vgg16 " + vs + " " + b + " nchw " + cfg.vggIters()),
                    peer(peer, "PyTorch channels_last", "forward vgg16 " + vs + " " + b + " channels_last " + cfg.vggIters())),
                    "to block5_pool on both sides (the peer: torchvision's VGG16 layout in plain torch), eval, "
                            + "random weights; VGG16 has no batch norm, so folding only changes the layout"));
        });
        // InceptionV3 without top: as built, folded NCHW (the folding alone), folded NHWC (the featurize pass).
        all.add(() -> {
            int is = cfg.inceptionSize();
            Backbone inception = Backbones.inceptionV3(is, SEED, Optional.empty());
            INDArray xi = Nd4j.rand(DataType.FLOAT, b, 3, is, is);
            return List.of(new Comparison(inceptionTitle(cfg), "img/s", Workloads.list(
                    ClassifyWork.asBuilt("Backbones.inceptionV3 as built (NCHW)", inception, xi, cfg.inceptionIters()),
                    ClassifyWork.folded("InferenceGraph folded, NCHW", inception, CNN2DFormat.NCHW, xi, cfg.inceptionIters()),
                    ClassifyWork.folded(FOLDED_NHWC, inception, CNN2DFormat.NHWC, xi, cfg.inceptionIters()),
                    peer(peer, "PyTorch NCHW", "forward inception_v3 " + is + " " + b + " nchw " + cfg.inceptionIters()),
                    peer(peer, "PyTorch channels_last",
                            "forward inception_v3 " + is + " " + b + " channels_last " + cfg.inceptionIters())),
                    "both sides end at mixed10 (Keras include_top=False; the peer: the same graph in plain torch, "
                            + "BN in eval mode, not folded); random weights"));
        });
        // ResNet50 forward: the detectors' backbone as RetinaNet's paper graph holds it, to C5.
        all.add(() -> {
            int rs = cfg.resnetSize();
            // the paper configuration as a paper user runs it (frozen batch norms); random values, the speed is the same
            RetinaNet retina = RetinaNet.withRandomValues(RetinaNetConfig.paper(SEED).with(c -> c.inputSize(rs)));
            INDArray xr = Nd4j.rand(DataType.FLOAT, b, 1, rs, rs);
            return List.of(new Comparison(resnetTitle(cfg), "img/s", Workloads.list(
                    DetectorWork.resnetC5(retina, xr, cfg.resnetIters()),
                    DetectorWork.resnetC5Folded(retina, xr, cfg.resnetIters()),
                    peer(peer, "torchvision ResNet50 NCHW", "resnet_c5 " + rs + " " + b + " nchw " + cfg.resnetIters()),
                    peer(peer, "torchvision ResNet50 channels_last",
                            "resnet_c5 " + rs + " " + b + " channels_last " + cfg.resnetIters())),
                    "1-channel input to C5 on both sides, frozen batch norm (ours: per-channel affine, "
                            + "torchvision: FrozenBatchNorm2d); ours strides the first 1x1 of each stage (zoo/Keras "
                            + "ResNet50), torchvision the 3x3 (v1.5, ~6% more FLOPs)"));
        });
        // The fine-tuning step FineTuner takes, on cached block5_conv2 activations, both sides.
        all.add(() -> {
            Backbone vgg = Backbones.vgg16(vs, SEED);
            int fb = cfg.fineTuneBatch();
            return List.of(new Comparison(fineTuneTitle(cfg), "img/s", Workloads.list(
                    ClassifyWork.fineTuneStep(vgg, fb, cfg.trainIters(), SEED, false),
                    ClassifyWork.fineTuneStep(vgg, fb, cfg.trainIters(), SEED, true),
                    peer(peer, "PyTorch NCHW", "finetune_tail " + vs + " " + fb + " " + cfg.trainIters() + " "
                            + ClassWeights.KERMANY_RATIO)),
                    "block5_conv3 + block5_pool + the seed's head (Dense 64, Dropout 0.33, BatchNorm, softmax), "
                            + "RMSprop lr 1e-5, class weights 2.89/1, on cached block5_conv2 activations"));
        });
        // The paper-profile detectors against torchvision (batch 8, then 2): the issue's targets first.
        if (cfg.paperDetectors()) {
            for (int pb : cfg.paperBatches()) {
                all.add(() -> {
                    NativeThreads.useProfile(Profile.PAPER); // the paper profile's detectors use every core
                    DetectorWork.Pair p = DetectorWork.paper(SEED);
                    List<Comparison> out = new ArrayList<>();
                    out.addAll(DetectorWork.paperVsTorchvision(p.retina(), "RetinaNet", "retinanet", RETINA_PEER,
                            p.size(), pb, cfg.paperIters(), cfg.paperSettle(), peer, SEED));
                    out.addAll(DetectorWork.paperVsTorchvision(p.frcnn(), "Faster R-CNN", "frcnn_c4", FRCNN_PEER,
                            p.size(), pb, cfg.paperIters(), cfg.paperSettle(), peer, SEED));
                    return out;
                });
            }
        }
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
                        peer(peer, PYDICOM, cmd + "pixel_array"),
                        peer(peer, PYDICOM_DRAFT, cmd + "draft")),
                        threads == 1 ? dw.origin + ", bytes held in memory and parsed every time; peer threads: "
                                + "ThreadPoolExecutor" : null));
            }
            // The data pipeline's own step, file to model input, one thread: the issue's target.
            String cmd = "dicom " + dw.folder + " " + cfg.decodeTarget() + " 1 ";
            out.add(new Comparison(pipelineTitle(cfg), "img/s", Workloads.list(
                    new Contestant(PIPELINE, true, () -> dw.run(DicomWork.Mode.PIPELINE, 1)),
                    peer(peer, PYDICOM, cmd + "pixel_array"),
                    peer(peer, PYDICOM_DRAFT, cmd + "draft")),
                    "ours reads each file and returns the model's input (ImagePipeline.prepare, no tensor cache); "
                            + "the peers parse bytes held in memory and stop at the resized image"));
            return out;
        });
        // Featurize once vs the frozen base every epoch.
        for (int size : cfg.featurizeSizes()) {
            all.add(() -> List.of(FeaturizeWork.comparison(size, cfg.featurizeImages(), cfg.featurizeBatch(), SEED)));
        }
        // Detectors: training step and inference at the sample size (ours only), and the paper's
        // against torchvision built the same way, at the paper profile's batch and at 2.
        all.add(() -> {
            NativeThreads.useProfile(Profile.SAMPLE); // one thread: the sample profile's policy
            DetectorWork.Pair p = DetectorWork.sample(SEED);
            return List.of(DetectorWork.training(p, cfg.detectorBatch(), SEED),
                    DetectorWork.inference(p, cfg.detectorImages(), SEED));
        });
        // The post-processing sweep.
        all.add(() -> {
            SweepWork sw = SweepWork.synthetic(cfg.sweepImages(), SEED);
            return List.of(new Comparison(sweepTitle(cfg), Unit.time("s/sweep", 1), Workloads.list(
                    new Contestant("Sweep.run (SweepGrid.standard())", true, sw::run)),
                    sw.raw.totalBoxes() + " raw boxes (5-30 per image, seeded); "
                            + Runtime.getRuntime().availableProcessors() + " cores", null));
        });
        // The ensemble sweep: two detectors, each on the plain and the mirrored images, every
        // ensemble of EnsembleGrid.standard (sources, flip, WBF IoUs, NMS) fused, then the same
        // 1,000 post-processing settings on each.
        all.add(() -> {
            SweepWork sw = SweepWork.synthetic(cfg.sweepImages(), SEED);
            List<org.pneumolab.sweep.Source> sources = sw.twoSourcesWithFlip(SEED);
            org.pneumolab.sweep.EnsembleGrid grid = org.pneumolab.sweep.EnsembleGrid.standard(sources,
                    org.pneumolab.sweep.SweepGrid.standard());
            return List.of(new Comparison(ensembleSweepTitle(cfg), Unit.time("s/sweep", 1), Workloads.list(
                    new Contestant("EnsembleSweep.run (EnsembleGrid.standard())", true, () -> sw.runEnsemble(sources, grid))),
                    grid.ensembles().size() + " ensembles x " + grid.post().size() + " settings = " + grid.size()
                            + " points; 4 views of 5-30 raw boxes per image (seeded); "
                            + Runtime.getRuntime().availableProcessors() + " cores", null));
        });
        all.add(() -> List.of(convLayouts(cfg)));
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
            MultiLayerNetwork net = singleConv(f, s, c);
            long[] shape = f == CNN2DFormat.NCHW ? new long[] {b, c, s, s} : new long[] {b, s, s, c};
            INDArray x = Nd4j.rand(DataType.FLOAT, shape);
            double perImage = 2.0 * 9 * c * c * s * s / 1e9;
            list.add(new Contestant("DL4J ConvolutionLayer " + f, true, () -> {
                long t = System.nanoTime();
                for (int i = 0; i < cfg.convIters() * cfg.convDepth(); i++) {
                    // net.output, as a DL4J user runs a layer: its working memory in the network's
                    // inference workspaces, reused call after call. Layer.activate without a
                    // workspace left the pre-activation to Java's GC: 7 Dec 2026, the row's
                    // process grew to 11.6 GB resident and its calls slowed 3x as it grew.
                    net.output(x).close();
                }
                return perImage * Workloads.perSecond((long) b * cfg.convIters() * cfg.convDepth(), t);
            }));
        }
        return new Comparison(String.format(Locale.ROOT, "3x3 conv %dch @%d², batch %d", c, s, b), "GFLOP/s", list,
                "layout comparison on our side only (no peer)");
    }

    /** One 3x3 convolution (ReLU) as the whole network: no output layer, nothing else timed. */
    private static MultiLayerNetwork singleConv(CNN2DFormat f, int size, int channels) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(channels).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(f).activation(Activation.RELU).build())
                .setInputType(InputType.convolutional(size, size, channels, f)).build());
        net.init();
        return net;
    }

    /** A peer row, with its standalone twin: the same command in a fresh process (see {@link Harness}). */
    static Contestant peer(PythonPeer peer, String label, String command) {
        return peer(peer, label, command, plan -> command, () -> { });
    }

    /**
     * A peer row whose twin needs its own command, made from the row's sample plan when the twin
     * starts (a detector twin trains its fresh model as many steps as the long-lived peer's had),
     * and {@code afterCall} run after each call the long-lived peer answered.
     */
    static Contestant peer(PythonPeer peer, String label, String command,
                           java.util.function.Function<SamplePlan, String> twinCommand, Runnable afterCall) {
        return new Contestant(label, false, () -> {
            if (peer == null) {
                throw new Contestant.Skipped("no Python");
            }
            double v = peer.measure(command);
            afterCall.run();
            return v;
        }, peer == null ? null : plan -> peer.standalone(twinCommand.apply(plan), plan));
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
