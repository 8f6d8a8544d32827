package org.pneumolab.sweep;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.pneumolab.data.DetectionBatches;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.ModelOutcome;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.geom.Box;

/**
 * Notebook 05's glue between a trained detector of notebook 04 and the sweep: raw detections of
 * the validation, held-out and test images, cached per run and split; ground truth; example images.
 */
public final class SweepStudy {
    /** Raw boxes kept per image: far more than any setting of the grid keeps. */
    public static final int MAX_RAW = 300;

    private final DetectionData data;
    private final RunIdentity run;
    private final RawDetectionCache cache;
    private final RawDetector detector;
    /** The same detector on mirrored images (flip test-time augmentation), boxes mapped back. */
    private final RawDetector mirrored;
    /** Every image's record by id (file and boxes, no pixels); the detector's loader reads it, {@link #rawTest} adds to it. */
    private final Map<String, DetectionSample> byId;
    private final Map<String, Path> testFiles = new LinkedHashMap<>();

    private SweepStudy(DetectionData data, RunIdentity run, RawDetectionCache cache, RawDetector detector,
                       RawDetector mirrored, Map<String, DetectionSample> byId) {
        this.data = data;
        this.run = run;
        this.cache = cache;
        this.detector = detector;
        this.mirrored = mirrored;
        this.byId = byId;
    }

    /**
     * @param runs     the run store the model was trained in; its kept model's weights file identifies
     *                 the run, so retraining invalidates cached raw detections
     * @param cacheDir where raw detections are cached (e.g. {@code data/cache/raw-detections})
     */
    public static SweepStudy of(DetectionData data, ModelOutcome model, RunStore runs, Path cacheDir) throws IOException {
        String name = model.runName();
        RunStore.Kept kept = runs.kept(name);
        if (kept == null || kept.epoch() != model.keptEpoch()) {
            // the cache is stamped with the folder's kept model: the boxes must come from that model
            throw new IOException(runs.dir(name) + ": the run keeps " + (kept == null ? "no model" : kept.note())
                    + ", but the model given is epoch " + model.keptEpoch());
        }
        // the run's config.json is its RunSpec: its hash is the run's one identity
        RunIdentity id = RunIdentity.of(name, runs.config(name), weightsStamp(runs, name));
        Map<String, DetectionSample> byId = new LinkedHashMap<>();
        for (String part : data.split().names()) {
            for (DetectionSample s : data.part(part)) {
                byId.put(s.id(), s);
            }
        }
        RawDetector.SampleLoader loader = imageId -> {
            DetectionSample s = byId.get(imageId);
            if (s == null) {
                throw new IOException("image " + imageId + " is not in the prepared data");
            }
            return DetectionBatches.load(List.of(s), data.pipeline()); // from the tensor cache
        };
        RawDetector raw = RawDetector.of(model.detector(), loader, MAX_RAW);
        RawDetector mirrored = RawDetector.flipped(model.detector(), loader, data.pipeline().spec().layout(), MAX_RAW);
        return new SweepStudy(data, id, new RawDetectionCache(cacheDir), raw, mirrored, byId);
    }

    /**
     * The run's kept model (the weights {@code kept.json} names, which every reader applies): its
     * epoch, file name, size and time, so retraining, or a new best epoch, changes the stamp.
     */
    static String weightsStamp(RunStore runs, String run) throws IOException {
        if (!Files.isDirectory(runs.dir(run))) {
            return "no-run-dir";
        }
        RunStore.Kept kept = runs.kept(run);
        if (kept == null) {
            return "no-weights";
        }
        Path w = runs.dir(run).resolve(kept.weights());
        if (!Files.isRegularFile(w)) {
            throw new IOException(runs.dir(run) + ": the kept model names " + kept.weights() + ", which is missing");
        }
        return "kept-e" + kept.epoch() + ":" + kept.weights() + ":" + Files.size(w) + ":" + Files.getLastModifiedTime(w).toMillis();
    }

    /** Raw detections of one part of the split ("val", "held-out", ...), from the cache when it has them. */
    public RawDetections raw(String part) throws IOException {
        List<String> ids = data.part(part).stream().map(DetectionSample::id).toList();
        return cache.get(run, new SplitIds(part, ids), detector);
    }

    /**
     * Raw detections of one part of the split with the images mirrored left-right (flip test-time
     * augmentation), mapped back to the original pixels; cached beside {@link #raw}'s file.
     */
    public RawDetections rawMirrored(String part) throws IOException {
        List<String> ids = data.part(part).stream().map(DetectionSample::id).toList();
        return cache.get(run, new SplitIds(part, ids), RawDetectionCache.View.MIRRORED, mirrored);
    }

    /** Raw detections of the unlabelled challenge test images (decoded on first use). */
    public RawDetections rawTest(List<Path> testImages) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Path> missing = new ArrayList<>();
        for (Path f : testImages) {
            String id = org.pneumolab.data.ImageIds.of(f);
            ids.add(id);
            testFiles.put(id, f);
            if (!byId.containsKey(id)) {
                missing.add(f);
            }
        }
        SplitIds split = new SplitIds("test", ids);
        if (!Files.exists(cache.fileFor(run, split)) && !missing.isEmpty()) {
            for (DetectionSample s : data.testSamples(missing)) {
                byId.put(s.id(), s);
            }
        }
        return cache.get(run, split, detector);
    }

    /** Ground truth of every labelled image of the split, by patient id. */
    public Map<String, List<Box>> groundTruth() {
        Map<String, List<Box>> gt = new LinkedHashMap<>();
        for (String part : data.split().names()) {
            gt.putAll(data.groundTruth(part));
        }
        return gt;
    }

    /** {@code n} seeded images of a part, half with labelled boxes (when there are enough), half without. */
    public List<String> exampleIds(String part, int n, long seed) {
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (DetectionSample s : data.part(part)) {
            (s.boxes().isEmpty() ? negative : positive).add(s.id());
        }
        Random rnd = new Random(seed);
        Collections.shuffle(positive, rnd);
        Collections.shuffle(negative, rnd);
        List<String> out = new ArrayList<>();
        int wantPositive = Math.min(positive.size(), (n + 1) / 2);
        out.addAll(positive.subList(0, wantPositive));
        out.addAll(negative.subList(0, Math.min(negative.size(), n - wantPositive)));
        return out;
    }

    /** The display picture of an image (original pixels, so boxes line up). */
    public BufferedImage image(String imageId) throws IOException {
        var record = data.record(imageId);
        Path file = record != null ? record.dicom() : testFiles.get(imageId);
        if (file == null) {
            throw new IOException("no image file known for " + imageId);
        }
        return DicomImages.readGray8(file);
    }

    public RunIdentity run() {
        return run;
    }
}
