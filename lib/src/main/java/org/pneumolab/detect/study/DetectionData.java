package org.pneumolab.detect.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.labels.DetailedClass;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.data.PreparedImage;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.data.Split;
import org.pneumolab.data.Splits;
import org.pneumolab.detect.DetectionSample;
import org.pneumolab.geom.Box;
import org.pneumolab.notebook.ProgressBar;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The RSNA training patients split by patient (stratified by detailed class, seeded, leakage
 * checked) into train / val / held-out, each image decoded once through the {@link ImagePipeline}
 * (cached on disk) into a {@link DetectionSample} at the model's input size, with its boxes kept in
 * original pixels. Grey, one channel, stretched to the square input (RSNA images are square, so
 * the mapping back is an exact scale). An unreadable image is reported with its file and skipped.
 */
public final class DetectionData {
    private final Split<RsnaRecord> split;
    private final Map<String, List<DetectionSample>> samples;
    private final Map<String, RsnaRecord> records = new LinkedHashMap<>();
    private final ImagePipeline pipeline;
    private final ProblemLog log;

    private DetectionData(Split<RsnaRecord> split, Map<String, List<DetectionSample>> samples, ImagePipeline pipeline,
                          ProblemLog log) {
        this.split = split;
        this.samples = samples;
        this.pipeline = pipeline;
        this.log = log;
        split.parts().values().forEach(part -> part.forEach(r -> records.put(r.patientId(), r)));
    }

    /** The pipeline notebook 04 uses: grey, {@code size} px square, ImageNet-normalised, NCHW. */
    public static PipelineSpec pipelineSpec(int size) {
        return PipelineSpec.detection(size).withChannels(1).withKeepAspect(false);
    }

    public static DetectionData prepare(RsnaDataset dataset, StudySpec spec, ImagePipeline pipeline, ProblemLog log) {
        Split<RsnaRecord> split = Splits.byPatient(dataset.records(), RsnaRecord::patientId, r -> r.cls().ordinal(),
                spec.fractions(), spec.seed());
        Map<String, List<DetectionSample>> samples = new LinkedHashMap<>();
        int total = dataset.records().size();
        try (ProgressBar bar = ProgressBar.start("decode RSNA images", total)) {
            for (String part : split.names()) {
                List<DetectionSample> out = new ArrayList<>();
                for (RsnaRecord r : split.get(part)) {
                    load(pipeline, r.patientId(), r.dicom(), r.boxes(), log).ifPresent(out::add);
                    bar.step();
                }
                samples.put(part, List.copyOf(out));
            }
        }
        return new DetectionData(split, samples, pipeline, log);
    }

    private static java.util.Optional<DetectionSample> load(ImagePipeline pipeline, String id, Path file, List<Box> boxes,
                                                             ProblemLog log) {
        try {
            PreparedImage p = pipeline.prepare(file);
            INDArray t = pipeline.toTensor(List.of(p.image()));
            INDArray chw = t.reshape(t.size(1), t.size(2), t.size(3));
            return java.util.Optional.of(new DetectionSample(id, chw, boxes, p.geometry().srcWidth(), p.geometry().srcHeight()));
        } catch (IOException | RuntimeException e) {
            log.report(file, "cannot load image (" + e.getMessage() + "); skipped");
            return java.util.Optional.empty();
        }
    }

    /** The unlabelled challenge test images as samples (no boxes), for a submission. */
    public List<DetectionSample> testSamples(List<Path> testImages) {
        List<DetectionSample> out = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.start("decode test images", testImages.size())) {
            for (Path f : testImages) {
                String name = f.getFileName().toString();
                load(pipeline, name.substring(0, name.length() - 4), f, List.of(), log).ifPresent(out::add);
                bar.step();
            }
        }
        return out;
    }

    public List<DetectionSample> part(String name) {
        List<DetectionSample> p = samples.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no split named '" + name + "'; have " + samples.keySet());
        }
        return p;
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
