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

import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.classify.study.ClassifierRuns;
import org.pneumolab.classify.study.PairedComparisons;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.BinaryMetrics;
import org.pneumolab.metrics.BinaryReport;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.report.Format;
import org.pneumolab.train.TrainingHistory;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Run folders, detectors' and classifiers' alike, listed and compared from disk alone: each scored run holds its spec
 * ({@code config.json}), its kept model ({@code kept.json}), its history, and what its study
 * measured ({@code run.json}, {@code evaluation.json}: every val and held-out image's true boxes
 * and detections). {@link #table} lists them; {@link #compare} puts two side by side: what differs
 * in their specs, and A minus B on every metric as a paired bootstrap over the held-out images
 * both were evaluated on, seeded as their study seeded it, so it is the interval the study
 * printed for the same pair. A classifier run ({@code kind} "classifier" in its spec, written by
 * {@code classify.study.ClassifierRuns}) holds every val and test image's P(pneumonia) instead of
 * boxes; its comparison is the Kermany study's own ({@link PairedComparisons}).
 */
public final class Runs {
    static final String CONFIG = "config.json";
    static final String RUN = "run.json";
    static final String EVALUATION = "evaluation.json";
    static final String HELD_OUT = "held-out";
    static final String VAL = "val";
    static final String TEST = "test";

    private Runs() {
    }

    /** One scored run folder, read. */
    public record Folder(Path dir, JsonObject config, JsonObject run, JsonObject evaluation) {
        /** The folder's name. */
        public String name() {
            return dir.getFileName().toString();
        }

        /** Whether this is a classifier run (else a detector run). */
        public boolean classifier() {
            return config.has("kind") && ClassifierRuns.KIND.equals(config.get("kind").getAsString());
        }

        /** "classifier" or "detector", for messages. */
        String kind() {
            return classifier() ? "classifier" : "detector";
        }

        /** A classifier run's split: every image's id, label and P(pneumonia), in the study's order. */
        public List<JsonObject> scores(String part) {
            List<JsonObject> out = new ArrayList<>();
            images(part).forEach(e -> out.add(e.getAsJsonObject()));
            return out;
        }

        /** A classifier run's test ROC AUC (its other metrics too) with the study's bootstrap intervals. */
        public BinaryReport test() {
            List<JsonObject> t = scores(TEST);
            return BinaryMetrics.evaluate(TEST, t.stream().mapToDouble(o -> o.get("p").getAsDouble()).toArray(),
                    t.stream().mapToInt(o -> o.get("label").getAsInt()).toArray(), evaluationNumber("threshold").doubleValue(),
                    Bootstrap.seeded(evaluationNumber("bootstrapSeed").longValue())
                            .withResamples(evaluationNumber("resamples").intValue()));
        }

        /**
         * A number {@code evaluation.json} must hold, or an error naming the file and the key (a
         * folder written by an older version, or a file cut short), instead of a bare NPE.
         */
        Number evaluationNumber(String key) {
            JsonElement e = evaluation.get(key);
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException(dir.resolve(EVALUATION) + ": " + (e == null ? "missing" : "no number at")
                        + " key " + key + " (written by an older version? retrain or delete the folder)");
            }
            return e.getAsNumber();
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
            return DetectionBootstrap.over(HELD_OUT, truth, Bootstrap.seeded(evaluationNumber("bootstrapSeed").longValue())
                    .withResamples(evaluationNumber("resamples").intValue()));
        }

        /** Held-out metrics with their 95% intervals. */
        public DetectionEstimates heldOut() {
            return heldOutBootstrap(truth(HELD_OUT)).estimate(detections(HELD_OUT));
        }

        /** The split the run was trained and scored on (fractions and seed; a classifier's: its rule, seed and files). */
        JsonObject split() {
            if (classifier()) {
                return config.getAsJsonObject("data").getAsJsonObject("split");
            }
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
        if (!Files.isRegularFile(dir.resolve(CONFIG)) && Files.isRegularFile(dir.resolve(SavedClassifier.CONFIG))) {
            throw new IOException(dir + ": a classifier saved before run folders (only " + SavedClassifier.CONFIG
                    + "): no spec, history or per-image outputs to list or compare; `bin/pneumo predict` still applies it,"
                    + " and running notebook 02 or 03 again records the run as a run folder");
        }
        for (String f : List.of(CONFIG, RUN, EVALUATION)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException(dir + ": not a scored run (no " + f + "; a study writes run.json and "
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
     * the validation metric, the held-out metric with its 95% interval (split and n named), training
     * time and date. A detector's metric is the RSNA metric (held-out part); a classifier's is ROC AUC
     * (test split), its interval the study's bootstrap.
     */
    public static Table table(Path dir) throws IOException {
        StringColumn run = StringColumn.create("run");
        StringColumn model = StringColumn.create("model");
        StringColumn differs = StringColumn.create("differs from the study's defaults");
        StringColumn kept = StringColumn.create("kept epoch");
        StringColumn val = StringColumn.create("validation metric (split, n)");
        StringColumn held = StringColumn.create("held-out metric [95% CI] (split, n)");
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
            if (f.classifier()) {
                val.append("ROC AUC " + number(v, "rocAuc") + " (val, n=" + v.get("n").getAsInt() + ")");
                BinaryReport t = f.test();
                held.append("ROC AUC " + t.metric("roc_auc") + " (test, n=" + t.n() + ")");
            } else {
                // the RSNA metric averages over the images with a box in truth or prediction: n says how many
                val.append("RSNA metric " + number(v, "rsnaMetric") + " (val, n=" + v.get("imagesScored").getAsInt() + " scored)");
                DetectionEstimates e = f.heldOut();
                held.append("RSNA metric " + e.rsna() + " (held-out, n=" + e.images() + ")");
            }
            time.append(f.run().get("trainingSeconds").isJsonNull() ? "unknown"
                    : Format.seconds(f.run().get("trainingSeconds").getAsDouble()));
            date.append(f.run().get("trainedAt").getAsString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"));
        }
        return Table.create("Runs in " + dir + " (held-out intervals: 95% bootstrap over images, as each study seeded it)",
                run, model, differs, kept, val, held, time, date);
    }

    /** Two runs side by side: their spec differences and A minus B on every held-out metric. */
    public record Comparison(String a, String b, List<String> specDiff, String split, int images, List<Verdict> verdicts) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append("A: ").append(a).append('\n').append("B: ").append(b).append('\n');
            s.append("spec, A -> B:").append(specDiff.isEmpty() ? " identical" : "").append('\n');
            specDiff.forEach(d -> s.append("  ").append(d).append('\n'));
            s.append(String.format(Locale.ROOT, "paired on the %d %s images both were evaluated on:%n", images, split));
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
        if (fa.classifier() != fb.classifier()) {
            throw new IllegalArgumentException("a " + fa.kind() + " run and a " + fb.kind() + " run measure different things"
                    + " (boxes against labels) and cannot be compared: " + a + ", " + b);
        }
        if (!fa.split().equals(fb.split())) {
            throw new IllegalArgumentException("runs on different splits cannot be compared image by image: " + a + " has "
                    + fa.split() + ", " + b + " has " + fb.split());
        }
        if (fa.classifier()) {
            return compareClassifiers(a, fa, b, fb);
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
        if (fa.evaluationNumber("bootstrapSeed").longValue() != fb.evaluationNumber("bootstrapSeed").longValue()) {
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
        return new Comparison(la, lb, specDiff, HELD_OUT, both.size(), List.copyOf(v.values()));
    }

    /**
     * Two classifier runs: A minus B on every metric of the Kermany study's paired comparison
     * ({@link PairedComparisons}), over the test images both scored, in A's order, with their
     * study's bootstrap seed and resamples: the interval notebook 02 prints for the same pair.
     */
    private static Comparison compareClassifiers(Path a, Folder fa, Path b, Folder fb) {
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        for (JsonObject o : fb.scores(TEST)) {
            if (byId.put(o.get("id").getAsString(), o) != null) {
                throw new IllegalArgumentException(b + ": image id " + o.get("id").getAsString() + " appears twice in its test split");
            }
        }
        List<Double> sa = new ArrayList<>();
        List<Double> sb = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (JsonObject o : fa.scores(TEST)) {
            JsonObject other = byId.get(o.get("id").getAsString());
            if (other == null) {
                continue;
            }
            if (other.get("label").getAsInt() != o.get("label").getAsInt()) {
                throw new IllegalArgumentException("image " + o.get("id").getAsString() + " has another label in " + b
                        + " than in " + a + ": the runs were scored against different labels");
            }
            sa.add(o.get("p").getAsDouble());
            sb.add(other.get("p").getAsDouble());
            labels.add(o.get("label").getAsInt());
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException(a + " and " + b + " share no test image");
        }
        long seed = fa.evaluationNumber("bootstrapSeed").longValue();
        int resamples = fa.evaluationNumber("resamples").intValue();
        if (seed != fb.evaluationNumber("bootstrapSeed").longValue() || resamples != fb.evaluationNumber("resamples").intValue()) {
            throw new IllegalArgumentException("the runs' studies resampled with different seeds or counts: " + a + ", " + b);
        }
        List<String> specDiff = new ArrayList<>(diff(fa.config(), fb.config()));
        double ta = fa.evaluationNumber("threshold").doubleValue();
        double tb = fb.evaluationNumber("threshold").doubleValue();
        if (ta != tb) {
            specDiff.add("scored at threshold " + ta + " -> " + tb);
        }
        String la = fa.label().equals(fb.label()) ? fa.name() : fa.label();
        String lb = fa.label().equals(fb.label()) ? fb.name() : fb.label();
        Map<String, Verdict> v = PairedComparisons.compare(TEST, la, sa.stream().mapToDouble(Double::doubleValue).toArray(), ta,
                lb, sb.stream().mapToDouble(Double::doubleValue).toArray(), tb, labels.stream().mapToInt(Integer::intValue).toArray(),
                Bootstrap.seeded(seed).withResamples(resamples));
        return new Comparison(la, lb, specDiff, TEST, labels.size(), List.copyOf(v.values()));
    }

    /**
     * One chart of several runs' training curves, read from their folders ({@code history.csv},
     * {@code run.json}, {@code kept.json}), so runs reused from disk show as well as ones trained
     * now: {@code metric} (a history column, e.g. {@code val_auc}, {@code val_loss},
     * {@code train_loss}) by epoch, one line per run, its kept epoch in the legend.
     */
    public static XYChart curves(List<Path> runs, String metric) throws IOException {
        String split = metric.startsWith("val_") ? "val" : metric.startsWith("train_") ? "train" : null;
        String what = metric.endsWith("_auc") ? "ROC AUC" : metric.endsWith("_loss") ? "loss (weighted cross-entropy, nats)" : metric;
        java.util.Set<String> ns = new java.util.TreeSet<>();
        XYChart chart = new XYChartBuilder().width(760).height(420).build();
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (Path dir : runs) {
            Folder f = open(dir);
            TrainingHistory h = TrainingHistory.load(dir.resolve("history.csv"));
            double[] y = h.series(metric);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i])) {
                    xs.add((double) h.epochs().get(i).epoch());
                    ys.add(y[i]);
                }
            }
            if (xs.isEmpty()) {
                throw new IOException(dir.resolve("history.csv") + ": no " + metric + " at any epoch");
            }
            if (split != null && f.run().has(split) && f.run().getAsJsonObject(split).has("n")) {
                ns.add(String.valueOf(f.run().getAsJsonObject(split).get("n")));
            }
            chart.addSeries(f.label() + " (kept e" + f.run().get("keptEpoch").getAsInt() + ")", xs, ys)
                    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
        }
        String on = split == null ? "" : " on the " + split + " split" + (ns.isEmpty() ? "" : " (n=" + String.join(", ", ns) + ")");
        chart.setTitle(what + on + " by epoch, " + runs.size() + " runs");
        chart.setXAxisTitle("epoch (one pass over the train split)");
        chart.setYAxisTitle(what + on);
        return chart;
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
            // a section present in one spec and null in the other (a head's "fineTune": null) shows as its fields
            boolean section = p == null && "null".equals(q) && x.keySet().stream().anyMatch(o -> o.startsWith(k + "."))
                    || q == null && "null".equals(p) && y.keySet().stream().anyMatch(o -> o.startsWith(k + "."));
            if (!Objects.equals(p, q) && !section) {
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
