package org.pneumolab.detect.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.data.BatchOptions;
import org.pneumolab.data.DetectionBatches;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.labels.DetailedClass;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.data.Split;
import org.pneumolab.data.Splits;
import org.pneumolab.geom.Box;
import org.pneumolab.notebook.ProgressBar;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The RSNA training patients split by patient (stratified by detailed class, seeded, leakage
 * checked) into train / val / held-out. Only records are kept (file, boxes in original pixels,
 * class): each image is decoded once into the pipeline's on-disk {@code TensorCache} when the
 * data is prepared, and every later use (training, validation, evaluation, raw detections,
 * submissions) streams batches from that cache through {@link DetectionBatches}, so memory does
 * not grow with the data set. Boxes go to the model input and back through each image's resize
 * geometry (scale and padding), so stretched and letterboxed inputs both come back in original
 * pixels. An unreadable image is reported with its file and left out of its split.
 */
public final class DetectionData {
    /** Images per batch when streaming for evaluation. */
    static final int EVAL_BATCH = 8;

    private final Split<RsnaRecord> split;
    private final Map<String, List<DetectionSample>> samples;
    private final Map<String, RsnaRecord> records = new LinkedHashMap<>();
    private final ImagePipeline pipeline;
    private final ProblemLog log;
    private final com.google.gson.JsonObject splitJson;

    private DetectionData(Split<RsnaRecord> split, Map<String, List<DetectionSample>> samples, ImagePipeline pipeline,
                          ProblemLog log, com.google.gson.JsonObject splitJson) {
        this.splitJson = splitJson;
        this.split = split;
        this.samples = samples;
        this.pipeline = pipeline;
        this.log = log;
        split.parts().values().forEach(part -> part.forEach(r -> records.put(r.patientId(), r)));
    }

    /**
     * The pipeline notebook 04 uses: grey, {@code size} px square, ImageNet-normalised, NCHW, aspect
     * ratio kept (RSNA's films are square, so no padding there; another hospital's non-square film
     * is letterboxed and its boxes still come back in its own pixels).
     */
    public static PipelineSpec pipelineSpec(int size) {
        return PipelineSpec.detection(size).withChannels(1);
    }

    /** The pipeline a study spec trains and evaluates with: {@link #pipelineSpec(int)} at its size, with its normalisation. */
    public static PipelineSpec pipelineSpec(StudySpec spec) {
        return pipelineSpec(spec.inputSize()).withNormalization(spec.normalization());
    }

    /** The split's part of a run's identity: its fractions and seed (the images it gave are digested in the run's data). */
    public static com.google.gson.JsonObject splitJson(StudySpec spec) {
        com.google.gson.JsonObject f = new com.google.gson.JsonObject();
        spec.fractions().forEach(f::addProperty);
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("split", "by patient, stratified by detailed class");
        o.add("fractions", f);
        o.addProperty("splitSeed", spec.seed());
        return o;
    }

    public static DetectionData prepare(RsnaDataset dataset, StudySpec spec, ImagePipeline pipeline, ProblemLog log) {
        if (!pipeline.spec().equals(pipelineSpec(spec))) {
            // the runs' identities record the spec's pipeline: training through another would mislabel them
            throw new IllegalArgumentException("the image pipeline " + pipeline.spec() + " is not the spec's "
                    + pipelineSpec(spec) + " (build it with DetectionData.pipelineSpec(spec))");
        }
        Split<RsnaRecord> split = Splits.byPatient(dataset.records(), RsnaRecord::patientId, r -> r.cls().ordinal(),
                spec.fractions(), spec.seed());
        Map<String, List<DetectionSample>> samples = new LinkedHashMap<>();
        int total = dataset.records().size();
        try (ProgressBar bar = ProgressBar.start("decode RSNA images into the tensor cache", total)) {
            for (String part : split.names()) {
                List<DetectionSample> out = new ArrayList<>();
                for (RsnaRecord r : split.get(part)) {
                    if (cache(pipeline, r.dicom(), log)) {
                        out.add(r.toSample());
                    }
                    bar.step();
                }
                samples.put(part, List.copyOf(out));
            }
        }
        return new DetectionData(split, samples, pipeline, log, splitJson(spec));
    }

    /** Decodes into the cache (or finds it there) and lets go of the pixels; false (reported) when unreadable. */
    private static boolean cache(ImagePipeline pipeline, Path file, ProblemLog log) {
        try {
            pipeline.prepare(file);
            return true;
        } catch (IOException | RuntimeException e) {
            log.report(file, "cannot load image (" + e.getMessage() + "); skipped");
            return false;
        }
    }

    /** The unlabelled challenge test images as samples (no boxes), cached; unreadable ones reported and left out. */
    public List<DetectionSample> testSamples(List<Path> testImages) {
        List<DetectionSample> out = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.start("decode test images into the tensor cache", testImages.size())) {
            for (Path f : testImages) {
                if (cache(pipeline, f, log)) {
                    out.add(new DetectionSample(org.pneumolab.data.ImageIds.of(f), f, List.of()));
                }
                bar.step();
            }
        }
        return out;
    }

    /** The records of a part: files and boxes in original pixels, no pixels. */
    public List<DetectionSample> part(String name) {
        List<DetectionSample> p = samples.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no split named '" + name + "'; have " + samples.keySet());
        }
        return p;
    }

    /** A part's training input for {@code DetectorTrainer}: streamed from the cache, augmented per {@code spec}. */
    public org.pneumolab.detect.DetectorTrainer.Input trainingInput(String name, StudySpec spec) {
        return new org.pneumolab.detect.DetectorTrainer.Input(part(name), pipeline, spec.augment(), log);
    }

    /** How the split was made (fractions, seed), for the identity of the runs trained on it. */
    public com.google.gson.JsonObject splitJson() {
        com.google.gson.JsonObject copy = new com.google.gson.JsonObject();
        splitJson.entrySet().forEach(e -> copy.add(e.getKey(), e.getValue()));
        return copy;
    }

    /** Unaugmented batches of {@code images} in order, prefetched from the cache (close it when done). */
    public DetectionBatches batches(List<DetectionSample> images) {
        return new DetectionBatches(images, pipeline, BatchOptions.evaluation(EVAL_BATCH), log);
    }

    public ImagePipeline pipeline() {
        return pipeline;
    }

    public ProblemLog log() {
        return log;
    }

    public Split<RsnaRecord> split() {
        return split;
    }

    public RsnaRecord record(String patientId) {
        return records.get(patientId);
    }

    /** Ground truth of a part, by patient: what {@code RsnaMetric.evaluate} scores against. */
    public Map<String, List<Box>> groundTruth(String part) {
        Map<String, List<Box>> gt = new LinkedHashMap<>();
        for (DetectionSample s : part(part)) {
            gt.put(s.id(), s.boxes());
        }
        return gt;
    }

    /** Detailed class label per patient of a part. */
    public Map<String, String> classes(String part) {
        Map<String, String> c = new LinkedHashMap<>();
        for (DetectionSample s : part(part)) {
            c.put(s.id(), records.get(s.id()).cls().label());
        }
        return c;
    }

    /** Images per split and detailed class: what every metric below was computed on. */
    public Table summary() {
        StringColumn name = StringColumn.create("split");
        IntColumn images = IntColumn.create("images");
        Map<DetailedClass, IntColumn> perClass = new LinkedHashMap<>();
        for (DetailedClass c : DetailedClass.values()) {
            perClass.put(c, IntColumn.create(c.label()));
        }
        IntColumn boxes = IntColumn.create("boxes");
        for (String part : samples.keySet()) {
            List<DetectionSample> s = samples.get(part);
            name.append(part);
            images.append(s.size());
            for (DetailedClass c : DetailedClass.values()) {
                perClass.get(c).append((int) s.stream().filter(x -> records.get(x.id()).cls() == c).count());
            }
            boxes.append(s.stream().mapToInt(x -> x.boxes().size()).sum());
        }
        Table t = Table.create("RSNA detection splits (patient-level, stratified by detailed class)", name, images);
        perClass.values().forEach(t::addColumns);
        t.addColumns(boxes);
        return t;
    }
}
