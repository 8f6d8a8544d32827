package org.pneumolab.classify.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.data.BatchOptions;
import org.pneumolab.data.ClassificationIterator;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.KermanyDataset;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.data.LabelMode;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.Split;
import org.pneumolab.image.GrayImage;
import org.pneumolab.image.Normalization;
import org.pneumolab.notebook.ProgressBar;

import tech.tablesaw.api.Table;

/**
 * The Kermany images a study uses: loaded where {@link DataConfig} says (real or sample),
 * train+val pooled and re-split by patient (seeded, stratified; test as shipped), optionally
 * capped per split, and, per input size, checked to decode so that every later tensor row
 * matches a record. Pixels come from the data package's {@link ImagePipeline} with
 * {@link Normalization#PIXELS}: NCHW 0..255, which the classify package preprocesses itself.
 */
public final class StudyData {
    public static final List<String> SPLITS = List.of("train", "val", "test");

    private final DataConfig config;
    private final boolean real;
    private final Split<KermanyRecord> split;
    private final Map<String, List<KermanyRecord>> used;
    private final ProblemLog log;
    private final Map<String, List<KermanyRecord>> readable = new HashMap<>();
    private final Map<Integer, ImagePipeline> pipelines = new HashMap<>();

    private StudyData(DataConfig config, Split<KermanyRecord> split, Map<String, List<KermanyRecord>> used,
                      ProblemLog log) {
        this.config = config;
        this.real = config.kermanyIsReal();
        this.split = split;
        this.used = used;
        this.log = log;
    }

    public static StudyData load(DataConfig config, StudyConfig study, ProblemLog log) throws IOException {
        KermanyDataset ds = KermanyDataset.load(config.kermany(), log);
        Split<KermanyRecord> split = ds.resplit(study.valFraction(), study.seed());
        Map<String, List<KermanyRecord>> used = new LinkedHashMap<>();
        for (String name : SPLITS) {
            used.put(name, cap(split.get(name), study.maxImagesPerSplit(), study.seed() + name.hashCode()));
        }
        return new StudyData(config, split, used, log);
    }

    /**
     * At most {@code max} records, chosen by a seeded shuffle within each class so the class
     * ratio is kept; returned in the original (file) order.
     */
    static List<KermanyRecord> cap(List<KermanyRecord> records, int max, long seed) {
        if (max == 0 || records.size() <= max) {
            return records;
        }
        List<Integer> keep = new ArrayList<>();
        Random rnd = new Random(seed);
        long pos = records.stream().filter(r -> r.label() == 1).count();
        int wantPos = (int) Math.round((double) max * pos / records.size());
        for (int label : new int[]{0, 1}) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).label() == label) {
                    idx.add(i);
                }
            }
            Collections.shuffle(idx, rnd);
            keep.addAll(idx.subList(0, Math.min(idx.size(), label == 1 ? wantPos : max - wantPos)));
        }
        Collections.sort(keep);
        return keep.stream().map(records::get).toList();
    }

    public boolean isReal() {
        return real;
    }

    /** "real Kermany (path)" or "synthetic sample (path)": which data every number below comes from. */
    public String description() {
        return (real ? "real Kermany chest X-rays" : "synthetic sample (not the Kermany data)") + " at " + config.kermany();
    }

    /** The records of a split in use (after the cap), in file order. */
    public List<KermanyRecord> records(String name) {
        List<KermanyRecord> r = used.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no split '" + name + "'; have " + used.keySet());
        }
        return r;
    }

    /** Images, patients and pneumonia cases per split: before the cap (all) and in use. */
    public Table summary() {
        Table all = split.summary(KermanyRecord::patient, KermanyRecord::label);
        Table inUse = Split.of(used, KermanyRecord::patient).summary(KermanyRecord::patient, KermanyRecord::label);
        all.setName("Kermany splits (" + (real ? "real" : "synthetic sample") + "): re-split train/val by patient");
        all.addColumns(inUse.intColumn("images").copy().setName("images used"),
                inUse.intColumn("positive").copy().setName("pneumonia used"));
        return all;
    }

    /** The pipeline for a square input: stretched, area-resized, 3 channels, 0..255 (cached decode). */
    public synchronized ImagePipeline pipeline(int size) {
        return pipelines.computeIfAbsent(size, s -> ImagePipeline.standard(SavedClassifier.pipelineSpec(s), config, log));
    }

    /**
     * The records of a split that decode at this input size; a file that fails is reported (file
     * and problem) and left out, so features and records stay row-aligned.
     */
    public synchronized List<KermanyRecord> readable(String name, int size) {
        String key = name + "@" + size;
        List<KermanyRecord> ok = readable.get(key);
        if (ok != null) {
            return ok;
        }
        List<KermanyRecord> all = records(name);
        ImagePipeline p = pipeline(size);
        List<KermanyRecord> good = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.start("decode " + name + " at " + size + " px", all.size())) {
            for (KermanyRecord r : all) {
                try {
                    p.prepare(r.image());
                    good.add(r);
                } catch (IOException | RuntimeException e) {
                    log.report(r.image(), "unreadable, left out of the " + name + " split: " + e.getMessage());
                }
                bar.step();
            }
        }
        readable.put(key, List.copyOf(good));
        return readable.get(key);
    }

    /** A DL4J iterator over the readable images of a split, file order, no augmentation. */
    public ClassificationIterator iterator(String name, int size, int batchSize) {
        return new ClassificationIterator(readable(name, size).stream().map(KermanyRecord::toLabeled).toList(),
                pipeline(size), LabelMode.ONE_HOT, BatchOptions.evaluation(batchSize), log);
    }

    /** As {@link #iterator(String, int, int)} over the readable images {@code [from, to)} only (a resumed featurize pass). */
    public ClassificationIterator iterator(String name, int size, int batchSize, int from, int to) {
        return new ClassificationIterator(readable(name, size).subList(from, to).stream().map(KermanyRecord::toLabeled).toList(),
                pipeline(size), LabelMode.ONE_HOT, BatchOptions.evaluation(batchSize), log);
    }

    /** NCHW 0..255 pixels of some records at this input size. */
    public INDArray pixels(List<KermanyRecord> records, int size) throws IOException {
        ImagePipeline p = pipeline(size);
        List<GrayImage> images = new ArrayList<>();
        for (KermanyRecord r : records) {
            images.add(p.prepare(r.image()).image());
        }
        return p.toTensor(images);
    }

    public DataConfig dataConfig() {
        return config;
    }

    public Path featureCacheDir() {
        return config.cacheRoot().resolve("features");
    }

    /** Where head fits keep their per-epoch checkpoints (resumed after an interrupt, reused once finished). */
    public Path headCheckpointDir() {
        return config.cacheRoot().resolve("head-checkpoints");
    }

    public ProblemLog problems() {
        return log;
    }
}
