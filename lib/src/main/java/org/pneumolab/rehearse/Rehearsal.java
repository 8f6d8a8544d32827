package org.pneumolab.rehearse;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.study.KermanyStudy;
import org.pneumolab.classify.study.ModelRun;
import org.pneumolab.classify.study.StudyConfig;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.KermanyDataset;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Submission;
import org.pneumolab.runtime.Profile;
import org.pneumolab.sweep.RawDetections;
import org.pneumolab.sweep.Sweep;
import org.pneumolab.sweep.SweepGrid;
import org.pneumolab.sweep.SweepResult;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * The paper profile rehearsed on synthetic data of the real data sets' size and shape: RSNA's
 * 26,684 training and 3,000 test DICOMs (1024 x 1024, JPEG Baseline, real header attributes) and
 * Kermany's 5,856 JPEGs (1,000-2,900 px wide, landscape), times {@code scale}, with a handful of
 * broken files. The lab is pointed at that data through a {@link DataConfig} exactly as at real
 * data; data, caches and runs live under the rehearsal's own folder. Training is capped at
 * {@code steps} batches per model and evaluation at {@code evalImages} images per split; the caps
 * are part of each run's identity. Every stage is measured by a {@link StageMeter} and reuses what
 * an earlier, interrupted rehearsal left: the generated data once complete (a generation stopped
 * part way is redone from the start: the boxes of the label CSVs come from rendering), decoded
 * images (tensor cache, per image), detector runs (per epoch; the rehearsal's one capped epoch is
 * redone when stopped in it), features (per chunk of the featurize pass) and heads (per epoch; a
 * finished one is reused; fine-tuning likewise). The folder scans, evaluations, sweep and
 * submission are capped or short and are computed again.
 */
public final class Rehearsal {
    public static final int RSNA_TRAIN = 26_684;
    public static final int RSNA_TEST = 3_000;
    public static final int KERMANY = 5_856;

    /**
     * Which part of the paper profile a rehearsal runs. ALL: RSNA detection capped at the step
     * limit, then (unless turned off) the Kermany study with one head and one fine-tuning epoch.
     * KERMANY: only the Kermany classification study, uncapped (the paper profile's head and
     * fine-tuning epochs), on generated Kermany data alone: the study end to end as a user with
     * the real data would run it, timed stage by stage.
     */
    public enum Part {
        ALL, KERMANY;

        /** The command-line word: "all" or "kermany". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Part of(String word) {
            for (Part p : values()) {
                if (p.word().equals(word)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--part is all or kermany, got '" + word + "'");
        }
    }

    /** What to rehearse and where. */
    /**
     * @param weights IMAGENET (the default): stop before any stage when the paper profile's ImageNet
     *                weights are missing or bad; RANDOM: rehearse from random weights on purpose
     * @param part    ALL, or KERMANY (the classification study alone, uncapped: no detectors, and
     *                {@code steps} and {@code evalImages}, the detection part's caps, unused)
     */
    public record Options(double scale, int steps, int evalImages, long seed, Path root, boolean classification,
                          List<Contender> detectors, org.pneumolab.weights.WeightsChoice weights, Part part) {
        public Options(double scale, int steps, int evalImages, long seed, Path root, boolean classification,
                       List<Contender> detectors, org.pneumolab.weights.WeightsChoice weights) {
            this(scale, steps, evalImages, seed, root, classification, detectors, weights, Part.ALL);
        }

        public Options {
            java.util.Objects.requireNonNull(weights, "weights");
            java.util.Objects.requireNonNull(part, "part");
            detectors = List.copyOf(detectors);
            if (part == Part.KERMANY && !classification) {
                throw new IllegalArgumentException("--part kermany is the classification study; --no-classification leaves nothing");
            }
            if (!(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("--scale must be in (0, 1], got " + scale);
            }
            if (part == Part.KERMANY && !detectors.isEmpty()) {
                throw new IllegalArgumentException("--part kermany trains no detector, got " + detectors);
            }
            if (part == Part.ALL && (steps < 1 || evalImages < 1 || !detectors.contains(Contender.RETINANET))) {
                throw new IllegalArgumentException("steps and eval images >= 1, RetinaNet among the detectors"
                        + " (the sweep and submission use it): " + steps + ", " + evalImages + ", " + detectors);
            }
        }

        /** The command-line options that only the detection part reads. */
        public static final List<String> DETECTION_ONLY = List.of("steps", "eval-images", "detectors");

        /**
         * Refuses, for the Kermany part, the options only the detection part reads: given there they
         * would be accepted and do nothing.
         *
         * @param given the option names given on the command line (without "--")
         */
        public static void requireOptionsOf(Part part, java.util.Collection<String> given) {
            List<String> unused = DETECTION_ONLY.stream().filter(given::contains).map(n -> "--" + n).toList();
            if (part == Part.KERMANY && !unused.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", unused) + (unused.size() == 1 ? " caps or chooses" : " cap or choose")
                        + " the detection part; --part kermany runs the Kermany study uncapped and trains no detector:"
                        + " leave " + (unused.size() == 1 ? "it" : "them") + " out");
            }
        }

        int rsnaTrain() {
            return Math.max(20, (int) Math.round(RSNA_TRAIN * scale));
        }

        int rsnaTest() {
            return Math.max(4, (int) Math.round(RSNA_TEST * scale));
        }

        int kermany() {
            return Math.max(40, (int) Math.round(KERMANY * scale));
        }
    }

    /**
     * One stage's measurements and what a full paper run would do of the same work.
     *
     * @param units      work done here (images, steps), in {@code unitName}
     * @param fullUnits  the same work in a full paper run (NaN when it does not scale that way)
     */
    public record Stage(String name, String unitName, long units, double fullUnits, StageMeter.Measured m, String note,
                        KernelProbe.Rate kernel) {
        public Stage(String name, String unitName, long units, double fullUnits, StageMeter.Measured m, String note) {
            this(name, unitName, units, fullUnits, m, note, null);
        }

        /** Units per wall second of the stage (NaN when resumed or empty). */
        double rate() {
            return units > 0 && !resumed() && m.seconds() > 0 ? units / m.seconds() : Double.NaN;
        }

        /** A stage that found its work done by an earlier run measures nothing worth extrapolating. */
        boolean resumed() {
            return note.contains("(resumed)");
        }

        double secondsPerUnit() {
            return units > 0 && !resumed() ? m.seconds() / units : Double.NaN;
        }

        /** CPU seconds per unit divided by the cores: the wall time per unit on an otherwise idle machine, if the work keeps every core busy. */
        double idleSecondsPerUnit() {
            return units > 0 && !resumed() ? m.cpuSeconds() / Runtime.getRuntime().availableProcessors() / units : Double.NaN;
        }

        double fullSeconds() {
            return Double.isFinite(fullUnits) ? secondsPerUnit() * fullUnits : m.seconds();
        }

        double fullIdleSeconds() {
            return Double.isFinite(fullUnits) ? idleSecondsPerUnit() * fullUnits : Double.NaN;
        }
    }

    private final Options o;
    private final PrintStream out;
    private final List<Stage> stages = new ArrayList<>();
    private final List<Path> diskRoots;

    private Rehearsal(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
        this.diskRoots = List.of(o.root());
    }

    /** Runs (or resumes) every stage; returns the stages measured. */
    public static List<Stage> run(Options o, PrintStream out) throws IOException {
        Rehearsal r = new Rehearsal(o, out);
        r.runAll();
        return r.stages;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws IOException;
    }

    private <T> T stage(String name, String unitName, long units, double fullUnits, Work<T> work, java.util.function.Function<T, String> note)
            throws IOException {
        return stage(name, unitName, units, fullUnits, work, note, null);
    }

    /**
     * As above; {@code kernel} (null: none) times the stage's kernel alone, in the same process
     * right after the stage and outside its meter, so the stage's rate stands beside its kernel's
     * under the same load.
     */
    private <T> T stage(String name, String unitName, long units, double fullUnits, Work<T> work,
                        java.util.function.Function<T, String> note, KernelProbe kernel) throws IOException {
        out.println("== " + name);
        T result;
        StageMeter.Measured m;
        try (StageMeter meter = new StageMeter()) {
            result = work.run();
            m = meter.read(diskRoots);
        }
        KernelProbe.Rate rate = kernel == null ? null : kernel.measure();
        Stage s = new Stage(name, unitName, units, fullUnits, m, note.apply(result), rate);
        stages.add(s);
        out.println(RehearsalReport.row(s));
        return result;
    }

    private void runAll() throws IOException {
        if (o.part() == Part.KERMANY) {
            runKermany();
            return;
        }
        Path data = o.root().resolve("data");
        SampleSpec spec = new SampleSpec(o.seed(), o.rsnaTrain(), o.rsnaTest(), o.kermany(), 1024, 1000, 2900);
        int files = o.rsnaTrain() + o.rsnaTest() + o.kermany();
        stage("generate data (RSNA DICOM + Kermany JPEG)", "files", files, RSNA_TRAIN + RSNA_TEST + KERMANY, () -> {
            var summary = SampleGenerator.generateIfMissing(spec, data);
            List<String> broken = BrokenFiles.inject(data);
            return (summary.reused() ? "reused (resumed)" : "written") + "; " + broken.size() + " broken files";
        }, s -> s);

        // Pointed at exactly as at real data: the configured-folder path, not the sample fallback.
        DataConfig config = new DataConfig(o.root(), Optional.of(data.resolve("rsna")), Optional.of(data.resolve("chest_xray")),
                o.root().resolve("no-sample"), o.root().resolve("cache"), o.root().resolve("runs"));
        ProblemLog log = ProblemLog.toStderr();
        RsnaDataset rsna = stage("folder scan RSNA", "files", o.rsnaTrain() + o.rsnaTest(), RSNA_TRAIN + RSNA_TEST,
                () -> RsnaDataset.load(config.rsna(), log), d -> d.records().size() + " train records, "
                        + d.testImages().size() + " test images; problems so far: " + log.size());

        StudySpec study = StudySpec.forProfile(Profile.PAPER, o.seed()).with(s -> s.weights(o.weights()));
        NativeThreads.useProfile(Profile.PAPER);
        // opened as notebook 04 opens it; the labels read above are handed over, so the scan is timed once
        DetectionStudy opened = stage("decode and cache RSNA train (" + study.inputSize() + " px)", "images",
                rsna.records().size(), RSNA_TRAIN, () -> DetectionStudy.open(config, study, rsna, log),
                st -> "train/val/held-out " + st.data().part(StudySpec.TRAIN).size() + "/" + st.data().part(StudySpec.VAL).size()
                        + "/" + st.data().part(StudySpec.HELD_OUT).size() + "; decoded " + st.data().pipeline().decodes()
                        + (st.data().pipeline().decodes() < rsna.records().size() / 2
                                ? ", the rest from the tensor cache (resumed)" : "")
                        + "; problems so far: " + log.size());
        DetectionData dd = opened.data();
        // capped runs carry their cap in their names, so they share the study's run folder with full runs safely
        RunStore runs = opened.runs();
        int trainSize = dd.part(StudySpec.TRAIN).size();
        double fullTrain = RSNA_TRAIN * study.fractions().get(StudySpec.TRAIN);
        double fullVal = RSNA_TRAIN * study.fractions().get(StudySpec.VAL);
        double fullHeld = RSNA_TRAIN * study.fractions().get(StudySpec.HELD_OUT);
        List<DetectionSample> val = cap(dd.part(StudySpec.VAL));
        List<DetectionSample> held = cap(dd.part(StudySpec.HELD_OUT));
        Map<Contender, Detector> trained = new LinkedHashMap<>();
        for (Contender c : o.detectors()) {
            Detector fresh = c.create(study);
            long used = dd.part(StudySpec.TRAIN).stream().filter(fresh::trainsOn).count();
            double fullSteps = study.epochs() * Math.ceil(fullTrain * used / Math.max(1, trainSize) / study.batchSize());
            int steps = (int) Math.min(o.steps(), Math.ceil((double) used / study.batchSize()));
            // one capped epoch: the cap is a spec knob, so it is in the run's name and a capped run
            // is never taken for a full one
            StudySpec capped = study.with(s -> s.epochs(1).maxStepsPerEpoch(o.steps()));
            // no per-epoch validation here: the capped run keeps its one epoch
            var runSpec = c.runSpec(capped, dd).withoutSelection();
            String run = runSpec.runName(c.runName());
            var result = stage("train " + c.runName() + " (" + steps + " steps of " + study.batchSize() + ")", "steps", steps,
                    fullSteps, () -> DetectorTrainer.train(runs, run, runSpec, fresh, c.restorer(capped),
                            dd.trainingInput(StudySpec.TRAIN, capped), null),
                    r -> (r.reused() ? "finished run reused (resumed)" : "trained") + "; "
                            + r.detector().initNote() + "; loss " + fmt(r.history().series("train_loss")));
            trained.put(c, result.detector());
            // per epoch the trainer validates on val; then held-out once: that is what a full run evaluates
            stage("evaluate " + c.runName() + " (held-out, " + held.size() + " images)", "images", held.size(),
                    study.epochs() * fullVal + fullHeld, () -> evaluate(result.detector(), dd, held, study),
                    r -> "held-out (first " + held.size() + " images) RSNA metric " + String.format(Locale.ROOT, "%.4f", r.score())
                            + ", AP50 " + String.format(Locale.ROOT, "%.4f", r.ap50()));
        }

        Detector retina = trained.get(Contender.RETINANET);
        SweepResult sweep = stage("sweep (RetinaNet raw detections on val, " + val.size() + " images)", "images",
                val.size(), fullVal + fullHeld + RSNA_TEST, () -> {
                    Map<String, List<Detection>> raw = new LinkedHashMap<>();
                    try (var b = dd.batches(val)) {
                        retina.detectAll(b, PostProcess.raw(300)).images().forEach(d -> raw.put(d.imageId(), d.detections()));
                    }
                    return Sweep.run(new RawDetections(StudySpec.VAL, raw, List.of()), dd.groundTruth(StudySpec.VAL), SweepGrid.standard());
                }, r -> SweepGrid.standard().size() + " settings; best on val " + r.best());

        List<java.nio.file.Path> testFiles = rsna.testImages().subList(0, Math.min(o.evalImages(), rsna.testImages().size()));
        stage("submission (" + testFiles.size() + " test images)", "images", testFiles.size(), RSNA_TEST, () -> {
            List<DetectionSample> test = dd.testSamples(testFiles);
            Map<String, List<Detection>> preds = new LinkedHashMap<>();
            try (var b = dd.batches(test)) {
                retina.detectAll(b, sweep.best().settings()).images().forEach(d -> preds.put(d.imageId(), d.detections()));
            }
            Path file = o.root().resolve("reports").resolve("rehearsal-submission.csv");
            Submission.of(preds).write(file);
            return file + ": " + preds.size() + " images";
        }, s -> s);

        if (o.classification()) {
            classification(config, log);
        }
        out.println("problems reported and skipped: " + log.size());
        for (var p : log.problems()) {
            out.println("  " + p);
        }
    }

    /**
     * The Kermany part alone: Kermany data only (no RSNA generated or read), then the study at the
     * paper profile's own epochs, uncapped.
     */
    private void runKermany() throws IOException {
        Path data = o.root().resolve("data");
        SampleSpec spec = new SampleSpec(o.seed(), 0, 0, o.kermany(), 1024, 1000, 2900);
        stage("generate data (Kermany JPEG only)", "files", o.kermany(), KERMANY, () -> {
            var summary = SampleGenerator.generateIfMissing(spec, data);
            List<String> broken = BrokenFiles.inject(data);
            return (summary.reused() ? "reused (resumed)" : "written") + "; " + broken.size() + " broken files";
        }, s -> s);
        DataConfig config = new DataConfig(o.root(), Optional.empty(), Optional.of(data.resolve("chest_xray")),
                o.root().resolve("no-sample"), o.root().resolve("cache"), o.root().resolve("runs"));
        ProblemLog log = ProblemLog.toStderr();
        NativeThreads.useProfile(Profile.PAPER);
        classification(config, log);
        out.println("problems reported and skipped: " + log.size());
        for (var p : log.problems()) {
            out.println("  " + p);
        }
    }

    private void classification(DataConfig config, ProblemLog log) throws IOException {
        // ALL: one epoch for the heads and for fine-tuning, the cap for classification (its steps
        // are tiny); KERMANY: the paper profile's own epochs, the study as published
        StudyConfig paper = StudyConfig.forProfile(Profile.PAPER, o.seed());
        StudyConfig cfg = o.part() == Part.KERMANY ? paper : paper.withEpochs(1, 1);
        KermanyStudy study = stage("folder scan Kermany", "files", o.kermany(), KERMANY,
                () -> KermanyStudy.open(cfg, config, log, o.weights()),
                // the study calls any configured folder real; here it is the rehearsal's own data
                s -> "generated in the Kermany layout (not chest X-rays), read as the real set would be, at "
                        + config.kermany());
        int images = 0;
        for (String split : KermanyDataset.SPLITS) {
            images += study.data().records(split).size();
        }
        int n = images;
        // the training images a head and a fine-tuning epoch go through, asked after the
        // featurize stages (the first ask decodes the split: that belongs to their time)
        java.util.function.IntSupplier trainImages = () -> study.data().readable("train", cfg.vggSize()).size();
        Backbone vgg = study.vgg16();
        // Features, heads and fine-tuning go on from what an interrupted run left (cache files,
        // partial featurize passes, per-epoch checkpoints): such a stage is marked resumed, so its
        // time, which covers only part of the work, stays out of the extrapolation.
        // Fine-tuning trains on cached activations of the layer before the one it unfreezes
        // (block5_conv2). The study featurizes that layer once and computes the head's
        // block5_pool features from it by running block5_conv3 and the pool on the cache (the
        // same layers on the same values, KermanyStudy#features), instead of a second VGG16
        // pass over every image (docs/PERF.md, "Kermany").
        String frozen = vgg.graph().getConfiguration().getVertexInputs().get(cfg.vggFineTuneLayer()).get(0);
        String frozenResumed = featuresResumed(study, vgg, frozen);
        stage("featurize VGG16@" + cfg.vggSize() + " " + frozen + " (all splits)", "images", n, KERMANY, () -> {
            for (String split : KermanyDataset.SPLITS) {
                study.features(vgg, frozen, split);
            }
            return KermanyStudy.weightsNotice(vgg) + frozenResumed;
        }, s -> s, probe(KernelProbe.forward(vgg, frozen, cfg.batchSize())));
        String vggResumed = featuresResumed(study, vgg, vgg.outputVertex());
        stage("VGG16 " + vgg.outputVertex() + " (all splits)", "images", n, KERMANY, () -> {
            for (String split : KermanyDataset.SPLITS) {
                study.features(vgg, vgg.outputVertex(), split);
            }
            return study.featureSource(vgg, vgg.outputVertex()) + vggResumed;
        }, s -> s, null);
        Backbone inception = study.inceptionV3();
        String inceptionResumed = featuresResumed(study, inception, inception.outputVertex());
        stage("featurize InceptionV3@" + cfg.inceptionSize() + " (all splits)", "images", n, KERMANY, () -> {
            for (String split : KermanyDataset.SPLITS) {
                study.features(inception, inception.outputVertex(), split);
            }
            return KermanyStudy.weightsNotice(inception) + inceptionResumed;
        }, s -> s, probe(KernelProbe.forward(inception, inception.outputVertex(), cfg.batchSize())));
        // one stage per head: its rate is epochs per second, beside the kernel's (the head's
        // training step on random features, times the steps of an epoch)
        boolean inceptionHeadResumed = study.headStarted(inception, ClassWeights.published());
        // An epoch here goes through this scale's images; a full run's epoch through all of
        // Kermany's: the extrapolation counts the paper's epochs times that ratio.
        double fullEpoch = (double) KERMANY / n;
        stage("head InceptionV3 (" + cfg.epochs() + " epochs)", "epochs", cfg.epochs(), paper.epochs() * fullEpoch,
                () -> study.trainHead("InceptionV3", inception, ClassWeights.published()),
                r -> headNote(inceptionHeadResumed, r), probe(KernelProbe.headEpoch(inception, cfg, trainImages)));
        boolean vggHeadResumed = study.headStarted(vgg, ClassWeights.published());
        ModelRun vggHead = stage("head VGG16 (" + cfg.epochs() + " epochs)", "epochs", cfg.epochs(), paper.epochs() * fullEpoch,
                () -> study.trainHead("VGG16", vgg, ClassWeights.published()),
                r -> headNote(vggHeadResumed, r), probe(KernelProbe.headEpoch(vgg, cfg, trainImages)));
        boolean fineTuneResumed = study.fineTuneStarted(vggHead);
        int ftEpochs = Math.max(1, cfg.fineTuneEpochs());
        stage("fine-tune VGG16 " + cfg.vggFineTuneLayer() + " (" + ftEpochs + " epochs)", "epochs", ftEpochs,
                Math.max(1, paper.fineTuneEpochs()) * fullEpoch,
                () -> study.fineTune("VGG16 fine-tuned", vggHead),
                r -> (fineTuneResumed ? "went on from an earlier run's checkpoint (resumed)" : "trained")
                        + "; scored on the test split (n=" + r.testRecords().size() + ")",
                probe(KernelProbe.fineTuneEpoch(vgg, cfg, trainImages)));
        out.println();
        out.println("Kermany study, wall time per step (KermanyStudy.timings()):");
        for (var step : study.timings().steps()) {
            out.println(String.format(Locale.ROOT, "  %8.2f s  %s", step.seconds(), step.name()));
        }
    }

    /**
     * The kernel probes run in the Kermany part only: they cost a few batches each, which the
     * capped rehearsal (and the CI's tiny one, whose timings nobody judges) does without.
     */
    private KernelProbe probe(KernelProbe p) {
        return o.part() == Part.KERMANY ? p : null;
    }

    private static String headNote(boolean resumed, ModelRun r) {
        return (resumed ? "went on from an earlier run's checkpoints (resumed)" : "trained")
                + "; " + r.keptNote() + "; scored on the test split (n=" + r.testRecords().size() + ")";
    }

    /** " (resumed)" with why, when an earlier run left features of any split at this vertex; else "". */
    private static String featuresResumed(KermanyStudy study, Backbone base, String vertex) throws IOException {
        for (String split : KermanyDataset.SPLITS) {
            if (study.featuresStarted(base, vertex, split)) {
                return "; an earlier run's features (cached or part-featurized) reused (resumed)";
            }
        }
        return "";
    }

    private List<DetectionSample> cap(List<DetectionSample> part) {
        return part.subList(0, Math.min(o.evalImages(), part.size()));
    }

    private static RsnaResult evaluate(Detector det, DetectionData dd, List<DetectionSample> images, StudySpec spec) {
        Map<String, List<Detection>> preds = new LinkedHashMap<>();
        try (var b = dd.batches(images)) {
            det.detectAll(b, spec.post()).images().forEach(d -> preds.put(d.imageId(), d.detections()));
        }
        Map<String, List<org.pneumolab.geom.Box>> gt = new LinkedHashMap<>();
        Map<String, String> classes = new LinkedHashMap<>();
        Map<String, List<org.pneumolab.geom.Box>> allGt = dd.groundTruth(StudySpec.HELD_OUT);
        Map<String, String> allClasses = dd.classes(StudySpec.HELD_OUT);
        for (DetectionSample s : images) {
            gt.put(s.id(), allGt.get(s.id()));
            classes.put(s.id(), allClasses.get(s.id()));
        }
        return RsnaMetric.evaluate(StudySpec.HELD_OUT + " (first " + images.size() + ")", gt, preds, classes);
    }

    private static String fmt(double[] v) {
        return v.length == 0 ? "-" : String.format(Locale.ROOT, "%.4f", v[v.length - 1]);
    }
}
