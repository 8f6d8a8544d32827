package org.pneumolab.detect.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.SDVariable;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.Detectors;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.detect.RunSpec;
import org.pneumolab.detect.RunStore;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Submission;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * Notebook 04's experiment: train (or reuse the runs of) each {@link Contender} on the same train
 * split with the same seed, follow the validation RSNA metric per epoch, then score every model on
 * the held-out split (RSNA metric, AP50, false positives per image by detailed class) and time its
 * inference. Runs live in a {@link RunStore}; re-running the notebook reuses finished runs.
 *
 * <p>{@link #open} wires a study from the data location and the spec alone (data set, image
 * pipeline, split, run folder), so notebook 05 opens exactly notebook 04's runs with the same
 * call. The study does the work (training, inference, the submission); {@link StudyResult} and
 * {@link ModelOutcome} are views over what it measured.
 */
public final class DetectionStudy {
    private final DataConfig config;
    private final StudySpec spec;
    private final RsnaDataset dataset;
    private final DetectionData data;
    private final RunStore runs;

    private DetectionStudy(DataConfig config, StudySpec spec, RsnaDataset dataset, DetectionData data, RunStore runs) {
        this.config = config;
        this.spec = spec;
        this.dataset = dataset;
        this.data = data;
        this.runs = runs;
    }

    /**
     * The study of {@code spec} on the RSNA data {@code config} points at: reads the labels,
     * prepares the split through the tensor cache, and finds the runs under
     * {@link #runsFolder}. Problems with single files go to {@code log} and are skipped.
     */
    public static DetectionStudy open(DataConfig config, StudySpec spec, ProblemLog log) throws IOException {
        requireWeights(spec);
        return open(config, spec, RsnaDataset.load(config.rsna(), log), log);
    }

    /** {@link #open(DataConfig, StudySpec, ProblemLog)} over labels already read (a caller that times the scan apart). */
    public static DetectionStudy open(DataConfig config, StudySpec spec, RsnaDataset dataset, ProblemLog log) {
        try {
            requireWeights(spec);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ImagePipeline pipeline = ImagePipeline.standard(DetectionData.pipelineSpec(spec), config, log);
        DetectionData data = DetectionData.prepare(dataset, spec, pipeline, log);
        return new DetectionStudy(config, spec, dataset, data, new RunStore(runsFolder(config, spec)));
    }

    /**
     * A detector configured pretrained (the paper profile; {@code StudySpec.weights(RANDOM)} turns
     * it off) needs ImageNet ResNet50: Keras's file, or the zoo's zip already on disk. Checked
     * when the study opens, before any image is decoded or anything trained.
     */
    public static void requireWeights(StudySpec spec) throws IOException {
        if (!spec.retinaNet().pretrained() && !spec.fasterRcnn().pretrained()) {
            return;
        }
        if (java.nio.file.Files.isRegularFile(org.pneumolab.weights.ZooFile.RESNET50_IMAGENET.localFile())) {
            return;
        }
        org.pneumolab.weights.ImagenetWeights.require(org.pneumolab.weights.WeightsChoice.IMAGENET,
                org.pneumolab.weights.WeightStore.standard(), List.of(org.pneumolab.weights.KerasFile.RESNET50));
    }

    /**
     * Where the study's runs live: one folder per profile and seed; inside it, one run per model
     * and training identity ({@link Contender#runName(StudySpec, DetectionData)}).
     */
    public static Path runsFolder(DataConfig config, StudySpec spec) {
        return runsFolder(config, spec.profile(), spec.seed());
    }

    /** The runs folder of the studies of {@code profile} split with {@code seed}. */
    public static Path runsFolder(DataConfig config, Profile profile, long seed) {
        return config.runsRoot().resolve("04-detection-" + profile + "-seed" + seed);
    }

    /** The spec a study last ran with, beside its runs, for the next notebook to open (notebook 05). */
    public static final String LAST_SPEC = "study.json";

    /**
     * Notebook 04's study as it last ran for {@code profile} and {@code seed}: the spec it left
     * in {@link #LAST_SPEC} beside its runs, so notebook 05 reuses exactly those runs instead of
     * a retyped spec. When notebook 04 has not run yet, the profile's default spec (said in
     * {@link #specNote()}), which trains its runs here.
     */
    public static DetectionStudy openLast(DataConfig config, Profile profile, long seed, ProblemLog log) throws IOException {
        Path file = runsFolder(config, profile, seed).resolve(LAST_SPEC);
        StudySpec spec;
        String note;
        if (Files.isRegularFile(file)) {
            try {
                spec = StudySpec.fromJson(Files.readString(file));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            note = "notebook 04's spec, read from " + config.projectHome().relativize(file.toAbsolutePath());
        } else {
            spec = StudySpec.forProfile(profile, seed);
            note = "the profile's default spec (notebook 04 has not run with profile " + profile + ", seed " + seed
                    + ": no " + config.projectHome().relativize(file.toAbsolutePath()) + ")";
        }
        DetectionStudy s = open(config, spec, log);
        s.specNote = note;
        return s;
    }

    private String specNote = "the spec given";

    /** Where this study's spec came from (for {@link #openLast}: notebook 04's file, or the defaults). */
    public String specNote() {
        return specNote;
    }

    public StudySpec spec() {
        return spec;
    }

    public RsnaDataset dataset() {
        return dataset;
    }

    public DetectionData data() {
        return data;
    }

    public RunStore runs() {
        return runs;
    }

    /** Trains (or reuses) and scores each contender. */
    public StudyResult run(List<Contender> contenders) throws IOException {
        return run(contenders, 1);
    }

    /**
     * Trains (or reuses) and scores each contender with {@code trainingSeeds} (K) training seeds,
     * on this study's one split (see {@link #run(DetectionData, StudySpec, RunStore, List, int)}).
     */
    public StudyResult run(List<Contender> contenders, int trainingSeeds) throws IOException {
        StudyResult r = run(data, spec, runs, contenders, trainingSeeds);
        // the next notebook opens the study as it ran last (openLast)
        org.pneumolab.io.AtomicFiles.writeString(runsFolder(config, spec).resolve(LAST_SPEC), spec.toJson() + "\n");
        return r;
    }

    /** Trains (or reuses) and scores one contender. */
    public ModelOutcome run(Contender contender) throws IOException {
        return run(List.of(contender)).outcome(contender);
    }

    /** A model's run folder, relative to the project, for messages. */
    public Path runDir(ModelOutcome model) {
        return config.projectHome().relativize(runs.dir(model.runName()));
    }

    /**
     * Runs {@code model} on the data set's test images (decoded through the same pipeline and
     * cache) with the spec's post-processing, and writes a Kaggle submission to {@code file}.
     */
    public Submission writeSubmission(ModelOutcome model, Path file) throws IOException {
        List<DetectionSample> test = data.testSamples(dataset.testImages());
        Detector.InferenceResult inf;
        try (var batches = data.batches(test)) {
            inf = model.detector().detectAll(batches, spec.post());
        }
        Map<String, List<Detection>> preds = new LinkedHashMap<>();
        inf.images().forEach(d -> preds.put(d.imageId(), d.detections()));
        Submission s = Submission.of(preds);
        s.write(file);
        return s;
    }

    /** Validation metric that picks each run's kept epoch (higher is better). */
    public static final String SELECT_BY = "val_rsna_metric";

    public static StudyResult run(DetectionData data, StudySpec spec, RunStore store, List<Contender> contenders)
            throws IOException {
        return run(data, spec, store, contenders, 1);
    }

    /**
     * Each contender trained with {@code trainingSeeds} seeds (K): the spec's seed first (its
     * run is the one every table and picture shows), then {@link #trainingSeed}(spec, k) for
     * k = 1..K-1. The split stays the spec's; only initialisation and shuffling change, so the
     * spread over seeds shows what luck of training alone does to the numbers.
     */
    public static StudyResult run(DetectionData data, StudySpec spec, RunStore store, List<Contender> contenders,
            int trainingSeeds) throws IOException {
        if (trainingSeeds < 1) {
            throw new IllegalArgumentException("trainingSeeds (K) must be >= 1, got " + trainingSeeds);
        }
        // The study's profile decides the native thread count (a notebook may set it in code).
        NativeThreads.useProfile(spec.profile());
        List<ModelOutcome> outcomes = new ArrayList<>();
        Map<Contender, List<ModelOutcome>> bySeed = new LinkedHashMap<>();
        for (Contender c : contenders) {
            ModelOutcome first = runOne(data, spec, store, c);
            outcomes.add(first);
            List<ModelOutcome> all = new ArrayList<>(List.of(first));
            for (int k = 1; k < trainingSeeds; k++) {
                all.add(runOne(data, spec.withSeed(trainingSeed(spec, k)), store, c));
            }
            bySeed.put(c, all);
        }
        return new StudyResult(spec, data, outcomes, bySeed);
    }

    /** The k-th training seed (k = 0 is the spec's own). */
    public static long trainingSeed(StudySpec spec, int k) {
        return spec.seed() + 1_000L * k;
    }

    static ModelOutcome runOne(DetectionData data, StudySpec spec, RunStore store, Contender c) throws IOException {
        Trained t = trainAndScore(data, spec, store, c.runName(), c.label(), c.config(spec).toJson());
        var result = t.result();
        Detector det = result.detector();
        return new ModelOutcome(c, t.run(), det, result.history(), result.reused(), t.used(),
                DetectorTrainer.meanEpochSeconds(result.history()), t.peakPhysicalBytes(), t.peakTotalBytes(),
                parameterCount(det.graph()), t.heldOut().msPerImage(), t.note(), t.val().result(), t.heldOut().result(),
                t.heldOut().detections(), result.keptEpoch(), result.keptNote(), spec.seed());
    }

    /**
     * A detector of any registered kind ({@code org.pneumolab.detect.Detectors}) that is not one of
     * the {@link Contender}s, trained (or reused) and scored exactly as the study does a contender:
     * the spec's split, pipeline, training knobs, validation metric and kept-epoch rule, scored on
     * val and held-out with the spec's post-processing, and its {@link RunRecord} written, so
     * {@code Runs.table} lists its folder and {@code Runs.compare} compares it with any other run
     * of the same split. Its run folder is {@code stem} and its identity.
     *
     * @param stem         the run folder's stem (its model name in {@code run.json})
     * @param label        the model's name in tables and verdicts
     * @param detectorJson the detector's configuration, with its registered {@code model}
     * @return the run folder
     */
    public static Path runRegistered(DetectionData data, StudySpec spec, RunStore store, String stem, String label,
            String detectorJson) throws IOException {
        return store.dir(trainAndScore(data, spec, store, stem, label, detectorJson).run());
    }

    /** What {@link #runOne} needs beyond the run folder: the training result, the scores, the note, the peaks. */
    private record Trained(String run, DetectorTrainer.Result<?> result, int used, String note, Scored val, Scored heldOut,
                           long peakPhysicalBytes, long peakTotalBytes) {
    }

    private static Trained trainAndScore(DetectionData data, StudySpec spec, RunStore store, String stem, String label,
            String detectorJson) throws IOException {
        List<DetectionSample> val = data.part(StudySpec.VAL);
        long[] peak = {Pointer.physicalBytes(), Pointer.totalBytes()};
        DetectorTrainer.Validation validation = (det, epoch) -> {
            RsnaResult r = evaluate(det, val, data, StudySpec.VAL, spec).result();
            notePeak(peak);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("val_rsna_metric", r.score());
            m.put("val_ap50", r.ap50());
            return m;
        };
        Detectors.Kind kind = Detectors.kindOf(detectorJson);
        Detector fresh = kind.create(detectorJson);
        RunSpec runSpec = Contender.runSpec(detectorJson, spec, data.part(StudySpec.TRAIN), data.splitJson());
        String run = runSpec.runName(stem);
        String freshNote = fresh.initNote();
        var result = DetectorTrainer.train(store, run, runSpec, fresh, sd -> kind.restore(detectorJson, sd),
                data.trainingInput(StudySpec.TRAIN, spec), validation);
        Detector det = result.detector();
        int used = (int) data.part(StudySpec.TRAIN).stream().filter(det::trainsOn).count();
        Scored v = evaluate(det, val, data, StudySpec.VAL, spec);
        Scored h = evaluate(det, data.part(StudySpec.HELD_OUT), data, StudySpec.HELD_OUT, spec);
        notePeak(peak);
        // the folder alone can now be listed and compared (Runs.table, Runs.compare)
        RunRecord.write(store.dir(run), stem, label, spec, runSpec, data, result, v.result(), v.detections(), h.result(),
                h.detections());
        String note = result.reused() || result.resumedFrom() > 0
                ? "weights from run '" + run + "' (" + freshNote.replace("random initialisation", "initialised randomly")
                        + " when it was started)"
                : freshNote;
        return new Trained(run, result, used, note, v, h, peak[0], peak[1]);
    }

    private static void notePeak(long[] peak) {
        peak[0] = Math.max(peak[0], Pointer.physicalBytes());
        peak[1] = Math.max(peak[1], Pointer.totalBytes());
    }

    record Scored(RsnaResult result, List<ImageDetections> detections, double msPerImage) {
    }

    static Scored evaluate(Detector det, List<DetectionSample> images, DetectionData data, String part, StudySpec spec) {
        Detector.InferenceResult inf;
        try (var batches = data.batches(images)) {
            inf = det.detectAll(batches, spec.post());
        }
        Map<String, List<Detection>> preds = new LinkedHashMap<>();
        inf.images().forEach(d -> preds.put(d.imageId(), d.detections()));
        RsnaResult r = RsnaMetric.evaluate(part, data.groundTruth(part), preds, data.classes(part));
        return new Scored(r, inf.images(), inf.msPerImage());
    }

    /** Trainable scalars: the graph's VARIABLE arrays (placeholders and constants excluded). */
    public static long parameterCount(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }
}
