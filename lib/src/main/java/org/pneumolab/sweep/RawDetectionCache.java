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

    /**
     * The view of the images a cache file holds: the images as they are, or mirrored left-right for
     * flip test-time augmentation (boxes mapped back to the original pixels). The mirrored file
     * sits beside the plain one (same run, same split), its key and name extended by the view.
     */
    public enum View {
        PLAIN(""), MIRRORED("hflip");

        private final String tag;

        View(String tag) {
            this.tag = tag;
        }

        /** The name and key part, empty for the plain view so its files and keys are as before. */
        public String tag() {
            return tag;
        }
    }

    /** The cache file for this run and split. */
    public Path fileFor(RunIdentity run, SplitIds split) {
        return fileFor(run, split, View.PLAIN);
    }

    /** The cache file for this run, split and view. */
    public Path fileFor(RunIdentity run, SplitIds split, View view) {
        String full = key(run, split, view);
        String tag = Digests.sha256Hex(full).substring(0, 16);
        return dir.resolve(prefix(run, split, view) + tag + ".rawdet");
    }

    /** The cached raw detections, computed with {@code detector} (progress shown) when absent or unusable. */
    public RawDetections get(RunIdentity run, SplitIds split, RawDetector detector) throws IOException {
        return get(run, split, View.PLAIN, detector);
    }

    /**
     * The cached raw detections of one view, computed with {@code detector} (which must see the
     * images that way, e.g. {@link RawDetector#flipped}) when absent or unusable.
     */
    public RawDetections get(RunIdentity run, SplitIds split, View view, RawDetector detector) throws IOException {
        Path file = fileFor(run, split, view);
        String key = key(run, split, view);
        String unusable = null;
        try {
            RawDetections cached = RawDetectionsFile.read(file, key);
            report.accept("raw detections: reusing " + file + " (" + cached.detections().size() + " images, "
                    + cached.totalBoxes() + " boxes)");
            return cached;
        } catch (NoSuchFileException e) {
            // first run for this key: compute below
        } catch (RawDetectionsFile.CorruptCacheException e) {
            unusable = e.getMessage();
        }
        RawDetections raw = compute(split, view, detector);
        RawDetectionsFile.write(file, key, raw);
        report.accept("raw detections: " + (unusable == null ? "wrote " : "rebuilt ") + file + " ("
                + raw.detections().size() + " images, " + raw.totalBoxes() + " boxes, " + raw.skipped().size()
                + " skipped)" + (unusable == null ? "" : "; the cached file was unusable: " + unusable));
        removeStale(run, split, view, file);
        return raw;
    }

    private static String prefix(RunIdentity run, SplitIds split, View view) {
        return safe(run.name()) + "__" + safe(split.name()) + "__" + (view.tag().isEmpty() ? "" : view.tag() + "__");
    }

    /**
     * Removes this run's earlier files for the split: same run name and split, another key (the
     * run was retrained, its config or weights changed, or the split's images changed). They can
     * never be read again, and each is as large as the detections of a whole split.
     */
    private void removeStale(RunIdentity run, SplitIds split, View view, Path current) throws IOException {
        String prefix = prefix(run, split, view);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (!p.equals(current) && name.startsWith(prefix) && name.endsWith(".rawdet")
                        && name.length() == prefix.length() + 16 + ".rawdet".length()) {
                    Files.deleteIfExists(p);
                    report.accept("raw detections: removed " + p + " (an earlier run of " + run.name() + " on "
                            + split.name() + ", replaced by " + current.getFileName() + ")");
                }
            }
        }
    }

    private RawDetections compute(SplitIds split, View view, RawDetector detector) {
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.start("raw detections, " + split.name() + " split"
                + (view == View.PLAIN ? "" : ", images mirrored"), split.ids().size())) {
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

    static String key(RunIdentity run, SplitIds split, View view) {
        return key(run, split) + (view.tag().isEmpty() ? "" : ";view=" + view.tag());
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public Path dir() {
        return dir;
    }

    /** Removes this run's files for {@code split}, plain and mirrored, if any (e.g. after retraining in place). */
    public boolean invalidate(RunIdentity run, SplitIds split) throws IOException {
        boolean any = false;
        for (View v : View.values()) {
            any |= Files.deleteIfExists(fileFor(run, split, v));
        }
        return any;
    }
}
