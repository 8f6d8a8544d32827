package org.pneumolab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.pneumolab.geom.Detection;
import org.pneumolab.io.Digests;
import org.pneumolab.notebook.ProgressBar;

/**
 * Runs a detector once over a split and keeps its raw detections on disk, so every later
 * post-processing sweep reads them instead of running the model again. One file per (run, split):
 * the name shows the run and split, and a hash of the full key (run name, config hash, weights
 * tag, split name and image-ids hash) keeps different runs apart. A file that cannot be read (wrong
 * key, damaged, truncated) is reported and rebuilt; an image the detector cannot read is reported
 * and skipped.
 */
public final class RawDetectionCache {
    private final Path dir;
    private final Consumer<String> report;

    /** A cache in {@code dir}, reporting reuse, rebuilds and skipped images on stderr. */
    public RawDetectionCache(Path dir) {
        this(dir, System.err::println);
    }

    public RawDetectionCache(Path dir, Consumer<String> report) {
        this.dir = dir;
        this.report = report;
    }

    /** The cache file for this run and split. */
    public Path fileFor(RunIdentity run, SplitIds split) {
        String full = key(run, split);
        String tag = Digests.sha256Hex(full).substring(0, 16);
        return dir.resolve(safe(run.name()) + "__" + safe(split.name()) + "__" + tag + ".rawdet");
    }

    /** The cached raw detections, computed with {@code detector} (progress shown) when absent or unusable. */
    public RawDetections get(RunIdentity run, SplitIds split, RawDetector detector) throws IOException {
        Path file = fileFor(run, split);
        String key = key(run, split);
        try {
            RawDetections cached = RawDetectionsFile.read(file, key);
            report.accept("raw detections: reusing " + file + " (" + cached.detections().size() + " images, "
                    + cached.totalBoxes() + " boxes)");
            return cached;
        } catch (NoSuchFileException e) {
            // first run for this key: compute below
        } catch (RawDetectionsFile.CorruptCacheException e) {
            report.accept("raw detections: cache unusable, rebuilding: " + e.getMessage());
        }
        RawDetections raw = compute(split, detector);
        RawDetectionsFile.write(file, key, raw);
        report.accept("raw detections: wrote " + file + " (" + raw.detections().size() + " images, "
                + raw.totalBoxes() + " boxes, " + raw.skipped().size() + " skipped)");
        return raw;
    }

    private RawDetections compute(SplitIds split, RawDetector detector) {
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.start("raw detections, " + split.name() + " split", split.ids().size())) {
            for (String id : split.ids()) {
                try {
                    out.put(id, detector.detectRaw(id));
                } catch (IOException | RuntimeException e) {
                    String problem = id + ": " + e.getMessage();
                    skipped.add(problem);
                    report.accept("raw detections: skipped image " + problem);
                }
                bar.step();
            }
        }
        return new RawDetections(split.name(), out, skipped);
    }

    static String key(RunIdentity run, SplitIds split) {
        return run.key() + ";" + split.key();
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public Path dir() {
        return dir;
    }

    /** Removes this run's file for {@code split}, if any (e.g. after retraining in place). */
    public boolean invalidate(RunIdentity run, SplitIds split) throws IOException {
        return Files.deleteIfExists(fileFor(run, split));
    }
}
