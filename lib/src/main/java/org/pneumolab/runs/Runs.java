package org.pneumolab.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.report.Format;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Detector run folders, listed and compared from disk alone: each scored run holds its spec
 * ({@code config.json}), its kept model ({@code kept.json}), its history, and what its study
 * measured ({@code run.json}, {@code evaluation.json}: every val and held-out image's true boxes
 * and detections). {@link #table} lists them; {@link #compare} puts two side by side: what differs
 * in their specs, and A minus B on every metric as a paired bootstrap over the held-out images
 * both were evaluated on, seeded as their study seeded it, so it is the interval the study
 * printed for the same pair.
 */
public final class Runs {
    static final String CONFIG = "config.json";
    static final String RUN = "run.json";
    static final String EVALUATION = "evaluation.json";
    static final String HELD_OUT = "held-out";
    static final String VAL = "val";

    private Runs() {
    }

    /** One scored run folder, read. */
    public record Folder(Path dir, JsonObject config, JsonObject run, JsonObject evaluation) {
        /** The folder's name. */
        public String name() {
            return dir.getFileName().toString();
        }

        /** The study's label of the model, e.g. "RetinaNet (focal loss)". */
        public String label() {
            return run.get("label").getAsString();
        }

        /** A part's true boxes by image id, in the order the study's bootstrap resampled them. */
        public Map<String, List<Box>> truth(String part) {
            Map<String, List<Box>> out = new LinkedHashMap<>();
            for (JsonElement e : images(part)) {
                JsonObject img = e.getAsJsonObject();
                List<Box> boxes = new ArrayList<>();
                for (JsonElement b : img.getAsJsonArray("truth")) {
                    JsonArray a = b.getAsJsonArray();
                    boxes.add(new Box(a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2).getAsDouble(), a.get(3).getAsDouble()));
                }
                out.put(img.get("id").getAsString(), boxes);
            }
            return out;
        }

        /** A part's detections by image id (images the study could not score are absent). */
        public Map<String, List<Detection>> detections(String part) {
            Map<String, List<Detection>> out = new LinkedHashMap<>();
            for (JsonElement e : images(part)) {
                JsonObject img = e.getAsJsonObject();
                if (img.get("detections").isJsonNull()) {
                    continue;
                }
                List<Detection> dets = new ArrayList<>();
                for (JsonElement d : img.getAsJsonArray("detections")) {
                    JsonArray a = d.getAsJsonArray();
                    dets.add(new Detection(new Box(a.get(1).getAsDouble(), a.get(2).getAsDouble(), a.get(3).getAsDouble(),
                            a.get(4).getAsDouble()), a.get(0).getAsDouble()));
                }
                out.put(img.get("id").getAsString(), dets);
            }
            return out;
        }

        /** The held-out images resampled as the study resampled them (its seed and resample count). */
        public DetectionBootstrap heldOutBootstrap(Map<String, List<Box>> truth) {
            return DetectionBootstrap.over(HELD_OUT, truth, Bootstrap.seeded(evaluation.get("bootstrapSeed").getAsLong())
                    .withResamples(evaluation.get("resamples").getAsInt()));
        }

        /** Held-out metrics with their 95% intervals. */
        public DetectionEstimates heldOut() {
            return heldOutBootstrap(truth(HELD_OUT)).estimate(detections(HELD_OUT));
        }

        /** The split the run was trained and scored on (fractions and seed). */
        JsonObject split() {
            JsonObject data = config.getAsJsonObject("data");
            JsonObject s = new JsonObject();
            for (String k : List.of("split", "fractions", "splitSeed")) {
                s.add(k, data.get(k));
            }
            return s;
        }

        private JsonArray images(String part) {
            return evaluation.getAsJsonObject("parts").getAsJsonArray(part);
        }
    }

    /**
     * Reads a scored run folder.
     *
     * @throws IOException naming the folder when it lacks a file, e.g. a run trained before runs
     *                     were recorded (the study writes them when it scores the run again)
     */
    public static Folder open(Path dir) throws IOException {
        for (String f : List.of(CONFIG, RUN, EVALUATION)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException(dir + ": not a scored detector run (no " + f + "; a study writes run.json and "
                        + "evaluation.json when it trains or reuses the run)");
            }
        }
        try {
            return new Folder(dir, json(dir.resolve(CONFIG)), json(dir.resolve(RUN)), json(dir.resolve(EVALUATION)));
        } catch (RuntimeException e) {
            throw new IOException(dir + ": unreadable run files: " + e.getMessage(), e);
        }
    }

    /** The scored run folders under {@code dir} (itself, or up to two levels down), by path. */
    public static List<Path> find(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such folder");
        }
        try (Stream<Path> s = Files.walk(dir, 3)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(RUN)) && Files.isRegularFile(p.resolve(CONFIG))).sorted().toList();
        }
    }

    /**
     * Every scored run under {@code dir}: model, what differs from its study's defaults, kept epoch,
     * val RSNA metric, held-out RSNA metric with its 95% interval, training time and date.
     */
    public static Table table(Path dir) throws IOException {
        StringColumn run = StringColumn.create("run");
        StringColumn model = StringColumn.create("model");
        StringColumn differs = StringColumn.create("differs from the study's defaults");
        StringColumn kept = StringColumn.create("kept epoch");
        StringColumn val = StringColumn.create("val RSNA metric (n)");
        StringColumn held = StringColumn.create("held-out RSNA metric [95% CI] (n)");
        StringColumn time = StringColumn.create("training time");
        StringColumn date = StringColumn.create("trained at");
        for (Path p : find(dir)) {
            Folder f = open(p);
            run.append(dir.relativize(p).toString().isEmpty() ? f.name() : dir.relativize(p).toString());
            model.append(f.label());
            List<String> d = diff(f.run().getAsJsonObject("studyDefaults"), f.run().getAsJsonObject("study"));
            differs.append(d.isEmpty() ? "(defaults)" : String.join("; ", d));
            kept.append(f.run().get("keptNote").getAsString());
            JsonObject v = f.run().getAsJsonObject("val");
            // the RSNA metric averages over the images with a box in truth or prediction: n says how many
            val.append(number(v, "rsnaMetric") + " (n=" + v.get("imagesScored").getAsInt() + " scored)");
            DetectionEstimates e = f.heldOut();
            held.append(e.rsna() + " (n=" + e.images() + ")");
            time.append(f.run().get("trainingSeconds").isJsonNull() ? "unknown"
                    : Format.seconds(f.run().get("trainingSeconds").getAsDouble()));
            date.append(f.run().get("trainedAt").getAsString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"));
        }
        return Table.create("Detector runs in " + dir + " (held-out intervals: 95% bootstrap over images, as each study seeded it)",
                run, model, differs, kept, val, held, time, date);
    }

    /** Two runs side by side: their spec differences and A minus B on every held-out metric. */
    public record Comparison(String a, String b, List<String> specDiff, int images, List<Verdict> verdicts) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append("A: ").append(a).append('\n').append("B: ").append(b).append('\n');
            s.append("spec, A -> B:").append(specDiff.isEmpty() ? " identical" : "").append('\n');
            specDiff.forEach(d -> s.append("  ").append(d).append('\n'));
            s.append(String.format(Locale.ROOT, "paired on the %d held-out images both were evaluated on:%n", images));
            for (Verdict v : verdicts) {
                s.append(String.format(Locale.ROOT, "  %-36s A-B %s  %s%n", v.metric(), v.differenceCell(), v.shortOutcome()));
            }
            verdicts.forEach(v -> s.append("- ").append(v.sentence()).append('\n'));
            return s.toString();
        }
    }

    /**
     * Compares two scored runs: spec differences ({@code config.json} and the post-processing they
     * were scored with), and A minus B on every metric of {@link DetectionBootstrap#METRICS}, a
     * paired bootstrap over the held-out images both were evaluated on.
     *
     * @throws IllegalArgumentException when the two were trained on different splits (their
     *                                  held-out images are not the same patients' films), naming both
     */
    public static Comparison compare(Path a, Path b) throws IOException {
        Folder fa = open(a);
        Folder fb = open(b);
        if (!fa.split().equals(fb.split())) {
            throw new IllegalArgumentException("runs on different splits cannot be compared image by image: " + a + " has "
                    + fa.split() + ", " + b + " has " + fb.split());
        }
        Map<String, List<Box>> ta = fa.truth(HELD_OUT);
        Map<String, List<Box>> tb = fb.truth(HELD_OUT);
        Map<String, List<Box>> both = new LinkedHashMap<>();
        for (Map.Entry<String, List<Box>> e : ta.entrySet()) {
            if (tb.containsKey(e.getKey())) {
                if (!Objects.equals(e.getValue(), tb.get(e.getKey()))) {
                    throw new IllegalArgumentException("image " + e.getKey() + " has other true boxes in " + b + " than in " + a
                            + ": the runs were scored against different labels");
                }
                both.put(e.getKey(), e.getValue());
            }
        }
        if (both.isEmpty()) {
            throw new IllegalArgumentException(a + " and " + b + " share no held-out image");
        }
        if (fa.evaluation().get("bootstrapSeed").getAsLong() != fb.evaluation().get("bootstrapSeed").getAsLong()) {
            throw new IllegalArgumentException("the runs' studies resampled with different seeds: " + a + ", " + b);
        }
        List<String> specDiff = new ArrayList<>(diff(fa.config(), fb.config()));
        diff(fa.evaluation().getAsJsonObject("post"), fb.evaluation().getAsJsonObject("post"))
                .forEach(d -> specDiff.add("scored with post-processing " + d));
        String la = fa.label() + " [" + fa.name() + "]";
        String lb = fb.label() + " [" + fb.name() + "]";
        if (fa.label().equals(fb.label())) {
            la = fa.name();
            lb = fb.name();
        }
        Map<String, Verdict> v = fa.heldOutBootstrap(both).compare(la, fa.detections(HELD_OUT), lb, fb.detections(HELD_OUT));
        return new Comparison(la, lb, specDiff, both.size(), List.copyOf(v.values()));
    }

    /** "path: before -> after" for every leaf that differs between two JSON objects. */
    static List<String> diff(JsonObject before, JsonObject after) {
        Map<String, String> x = flatten(before);
        Map<String, String> y = flatten(after);
        TreeMap<String, String> keys = new TreeMap<>();
        x.keySet().forEach(k -> keys.put(k, k));
        y.keySet().forEach(k -> keys.put(k, k));
        List<String> out = new ArrayList<>();
        for (String k : keys.keySet()) {
            String p = x.get(k);
            String q = y.get(k);
            if (!Objects.equals(p, q)) {
                out.add(k + ": " + (p == null ? "(none)" : p) + " -> " + (q == null ? "(none)" : q));
            }
        }
        return out;
    }

    private static Map<String, String> flatten(JsonObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", o, out);
        return out;
    }

    private static void flatten(String prefix, JsonElement e, Map<String, String> out) {
        if (e != null && e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
                flatten(prefix.isEmpty() ? en.getKey() : prefix + "." + en.getKey(), en.getValue(), out);
            }
        } else {
            out.put(prefix, String.valueOf(e));
        }
    }

    private static String number(JsonObject o, String key) {
        return o.get(key).isJsonNull() ? "undefined (" + o.get(key + "Undefined").getAsString() + ")"
                : Format.rate(o.get(key).getAsDouble());
    }

    private static JsonObject json(Path file) throws IOException {
        return new JsonParser().parse(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
