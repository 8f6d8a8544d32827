package org.pneumolab.detect.study;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.labels.DetailedClass;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.Detector;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.SeedSpread;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.report.Format;
import org.pneumolab.viz.BoxOverlay;
import org.pneumolab.viz.ImageGrid;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The study's models side by side: tables and charts for notebook 04, every metric naming its split. */
public final class StudyResult {
    private final StudySpec spec;
    private final DetectionData data;
    private final List<ModelOutcome> outcomes;
    private final Map<Contender, List<ModelOutcome>> bySeed;
    private final Map<Contender, DetectionEstimates> estimates = new LinkedHashMap<>();
    private DetectionBootstrap bootstrap;

    StudyResult(StudySpec spec, DetectionData data, List<ModelOutcome> outcomes,
            Map<Contender, List<ModelOutcome>> bySeed) {
        this.spec = spec;
        this.data = data;
        this.outcomes = List.copyOf(outcomes);
        this.bySeed = new LinkedHashMap<>(bySeed);
    }

    /** Bootstrap resamples of the held-out images (the seed is the study's). */
    public static final int RESAMPLES = Bootstrap.DEFAULT_RESAMPLES;

    /** The held-out images, resampled once for every model, so differences are paired. */
    public synchronized DetectionBootstrap heldOutBootstrap() {
        if (bootstrap == null) {
            bootstrap = DetectionBootstrap.over(StudySpec.HELD_OUT, data.groundTruth(StudySpec.HELD_OUT),
                    Bootstrap.seeded(spec.seed()).withResamples(RESAMPLES));
        }
        return bootstrap;
    }

    /** A model's held-out metrics with their 95% intervals (its first training seed). */
    public synchronized DetectionEstimates estimates(Contender c) {
        return estimates.computeIfAbsent(c, k -> heldOutBootstrap().estimate(outcome(k).detectionsById()));
    }

    /** A model's runs, one per training seed, the spec's seed first. */
    public List<ModelOutcome> seedRuns(Contender c) {
        return List.copyOf(bySeed.getOrDefault(c, List.of(outcome(c))));
    }

    /** Training seeds per model (K). */
    public int trainingSeeds() {
        return bySeed.values().stream().mapToInt(List::size).min().orElse(1);
    }

    /** One held-out metric ({@link DetectionBootstrap#METRICS}) of a model over its K training seeds. */
    public SeedSpread acrossSeeds(Contender c, String metric) {
        List<ModelOutcome> runs = bySeed.getOrDefault(c, List.of(outcome(c)));
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            // point estimates only: the bootstrap's replicates are not needed for a mean over seeds
            v[i] = DetectionBootstrap.over(StudySpec.HELD_OUT, data.groundTruth(StudySpec.HELD_OUT),
                    Bootstrap.seeded(spec.seed()).withResamples(0)).estimate(runs.get(i).detectionsById())
                    .metric(metric).value();
        }
        return new SeedSpread(metric + " (" + StudySpec.HELD_OUT + ")", runs.stream().map(ModelOutcome::trainingSeed).toList(), v);
    }

    /**
     * Held-out RSNA metric, AP50 and false positives per image (all images, and negative images
     * only), each with its 95% bootstrap interval over images; the epoch each model kept (best
     * validation RSNA metric) and, with K > 1, the spread over training seeds.
     */
    public Table intervals() {
        DetectionBootstrap b = heldOutBootstrap();
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        IntColumn n = IntColumn.create("n images");
        Map<String, StringColumn> cols = new LinkedHashMap<>();
        for (String m : DetectionBootstrap.METRICS) {
            cols.put(m, StringColumn.create(m + " [95% CI]"));
        }
        StringColumn kept = StringColumn.create("kept epoch (best val RSNA metric)");
        StringColumn seeds = StringColumn.create("RSNA metric over training seeds");
        for (ModelOutcome o : outcomes) {
            DetectionEstimates e = estimates(o.contender());
            model.append(o.contender().label());
            split.append(e.split());
            n.append(e.images());
            cols.forEach((m, col) -> col.append(e.metric(m).toString()));
            kept.append(o.keptNote());
            seeds.append(acrossSeeds(o.contender(), DetectionBootstrap.RSNA).toString());
        }
        Table t = Table.create("Detectors on the " + StudySpec.HELD_OUT + " split: " + b.images() + " images ("
                + estimates(outcomes.get(0).contender()).negatives() + " without a true box); " + b.method(false), model, split, n);
        cols.values().forEach(t::addColumns);
        t.addColumns(kept, seeds);
        return t;
    }

    /**
     * The comparisons the case study makes, each a paired bootstrap over the same held-out
     * images with its generated verdict: RetinaNet against each Faster R-CNN on the RSNA metric,
     * and Faster R-CNN without negatives against the other two on false positives per negative
     * image (lesson b). Pairs whose models are not in the study are left out.
     */
    public List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        pair(Contender.RETINANET, Contender.FASTER_RCNN, DetectionBootstrap.RSNA, out);
        pair(Contender.RETINANET, Contender.FASTER_RCNN_PUBLISHED, DetectionBootstrap.RSNA, out);
        pair(Contender.FASTER_RCNN_PUBLISHED, Contender.FASTER_RCNN, DetectionBootstrap.FP_PER_NEGATIVE, out);
        pair(Contender.FASTER_RCNN_PUBLISHED, Contender.RETINANET, DetectionBootstrap.FP_PER_NEGATIVE, out);
        return out;
    }

    private void pair(Contender a, Contender b, String metric, List<Verdict> out) {
        if (has(a) && has(b)) {
            out.add(compare(a, b).get(metric));
        }
    }

    /** A minus B on every metric, paired over the held-out images. */
    public Map<String, Verdict> compare(Contender a, Contender b) {
        return heldOutBootstrap().compare(a.label(), outcome(a).detectionsById(), b.label(), outcome(b).detectionsById());
    }

    private boolean has(Contender c) {
        return outcomes.stream().anyMatch(o -> o.contender() == c);
    }

    /** The verdicts as a table: comparison, metric, difference A minus B with its paired interval, outcome. */
    public Table verdictTable() {
        return verdictTable("Paired comparisons on the " + StudySpec.HELD_OUT + " split", verdicts());
    }

    /** Verdicts side by side (shared by notebooks 04 and 05). */
    public static Table verdictTable(String title, List<Verdict> verdicts) {
        return org.pneumolab.metrics.Verdicts.table(title, verdicts);
    }

    public List<ModelOutcome> outcomes() {
        return outcomes;
    }

    public ModelOutcome outcome(Contender c) {
        return outcomes.stream().filter(o -> o.contender() == c).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(c + " was not part of this study"));
    }

    /** The model with the best RSNA metric on the VALIDATION split (the held-out split stays untouched by the choice). */
    public ModelOutcome best() {
        return outcomes.stream().max(Comparator.comparingDouble(o -> nanLow(o.val().score()))).orElseThrow();
    }

    private static double nanLow(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** Held-out metrics, sizes and costs, one row per model. */
    public Table comparison() {
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        DoubleColumn rsna = DoubleColumn.create("RSNA metric");
        DoubleColumn ap = DoubleColumn.create("AP50");
        DoubleColumn valRsna = DoubleColumn.create("val RSNA metric");
        IntColumn trained = IntColumn.create("train images used");
        LongColumn params = LongColumn.create("parameters");
        StringColumn spe = StringColumn.create("train time per epoch");
        StringColumn ms = StringColumn.create("inference per image");
        StringColumn mem = StringColumn.create("peak process RSS (this session)");
        StringColumn nat = StringColumn.create("ND4J arrays (peak at epoch ends)");
        StringColumn kept = StringColumn.create("kept epoch");
        for (ModelOutcome o : outcomes) {
            model.append(o.contender().label());
            split.append(o.heldOut().split());
            rsna.append(o.heldOut().score());
            ap.append(o.heldOut().ap50());
            valRsna.append(o.val().score());
            trained.append(o.trainImagesUsed());
            params.append(o.parameters());
            spe.append(Format.seconds(o.secondsPerEpoch()));
            ms.append(Format.millis(o.msPerImage()));
            mem.append(Format.bytes(o.peakPhysicalBytes()));
            nat.append(Format.bytes(o.peakNativeBytes()));
            kept.append(o.keptNote());
        }
        return Format.readable(Table.create("Detectors on the " + StudySpec.HELD_OUT + " split (" + data.part(StudySpec.HELD_OUT).size()
                        + " images; post-processing: score >= " + spec.post().scoreThreshold() + ", NMS IoU "
                        + spec.post().nmsIou() + ", <= " + spec.post().maxDetections() + " boxes, shrink " + spec.post().shrink() + ")",
                model, split, rsna, ap, valRsna, kept, trained, params, spe, ms, mem, nat));
    }

    /** False positives per image on the held-out split, by detailed class (the published study's point: the negatives). */
    public Table falsePositives() {
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        Map<DetailedClass, DoubleColumn> cols = new LinkedHashMap<>();
        for (DetailedClass c : DetailedClass.values()) {
            cols.put(c, DoubleColumn.create("FP/image " + c.label()));
        }
        for (ModelOutcome o : outcomes) {
            model.append(o.contender().label());
            split.append(o.heldOut().split());
            cols.forEach((c, col) -> col.append(o.falsePositivesPerImage(c.label())));
        }
        Table t = Table.create("False positives per image by detailed class, " + StudySpec.HELD_OUT + " split", model, split);
        cols.values().forEach(t::addColumns);
        return Format.readable(t);
    }

    /** Bar chart of {@link #falsePositives()}. */
    public CategoryChart falsePositiveChart() {
        CategoryChart chart = new CategoryChartBuilder().width(760).height(440)
                .title("False positives per image by detailed class (" + StudySpec.HELD_OUT + " split)")
                .xAxisTitle("detailed class (ground truth)").yAxisTitle("false positive boxes per image").build();
        List<String> classes = new ArrayList<>();
        for (DetailedClass c : DetailedClass.values()) {
            classes.add(c.label());
        }
        // the class names, with n, on two short lines: the long RSNA names overlap side by side
        Map<String, Integer> perClass = new LinkedHashMap<>();
        for (DetectionSample s : data.part(StudySpec.HELD_OUT)) {
            perClass.merge(data.record(s.id()).cls().label(), 1, Integer::sum);
        }
        List<String> ticks = classes.stream().map(c -> (c.startsWith("No Lung Opacity") ? "Not Normal, no opacity" : c)
                + " (n=" + perClass.getOrDefault(c, 0) + ")").toList();
        for (ModelOutcome o : outcomes) {
            List<Double> v = new ArrayList<>();
            for (String c : classes) {
                double x = o.falsePositivesPerImage(c);
                v.add(Double.isNaN(x) ? 0.0 : x);
            }
            chart.addSeries(o.contender().label(), ticks, v);
        }
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        return chart;
    }

    /** Training loss per epoch (train split) of every model in one chart. */
    public XYChart lossCurves() {
        return curves("train_loss", "Training loss per epoch (" + StudySpec.TRAIN + " split)", "mean loss per step");
    }

    /** RSNA metric per epoch on the validation split, every model. */
    public XYChart validationCurves() {
        return curves("val_rsna_metric", "RSNA metric per epoch (" + StudySpec.VAL + " split)", "RSNA metric (0..1)");
    }

    private XYChart curves(String metric, String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(720).height(380).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(5);
        for (ModelOutcome o : outcomes) {
            double[] y = o.history().series(metric);
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = o.history().epochs().get(i).epoch();
                if (Double.isNaN(y[i])) {
                    y[i] = 0; // an epoch without a value (e.g. no box anywhere) plots at 0
                }
            }
            if (y.length > 0) {
                chart.addSeries(o.contender().label(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    /**
     * Held-out images with one model's boxes: true positives green, false positives red (with
     * score), missed ground truth blue. Picks {@code perClass} images of each detailed class, in split order.
     */
    public ImageGrid grid(Contender c, int perClass) throws IOException {
        ModelOutcome o = outcome(c);
        Map<String, List<Detection>> dets = o.detectionsById();
        ImageGrid grid = new ImageGrid(c.label() + ", " + StudySpec.HELD_OUT + ": green TP, red FP, blue missed",
                perClass, 220);
        for (DetailedClass cls : DetailedClass.values()) {
            int n = 0;
            for (DetectionSample s : data.part(StudySpec.HELD_OUT)) {
                RsnaRecord r = data.record(s.id());
                if (r.cls() != cls || n >= perClass) {
                    continue;
                }
                BufferedImage img;
                try {
                    img = DicomImages.readGray8(r.dicom());
                } catch (IOException | RuntimeException e) {
                    // Decoded once for the study; if it fails now, say so and show the next one.
                    System.err.println("skipped: " + e.getMessage());
                    continue;
                }
                List<Detection> p = dets.getOrDefault(s.id(), List.of());
                grid.add(BoxOverlay.evaluated(img, s.boxes(), p, 0.5),
                        String.format(Locale.ROOT, "%s: %d true, %d predicted", cls.label(), s.boxes().size(), p.size()));
                n++;
            }
        }
        return grid;
    }

    /**
     * Lesson (b)'s conclusion from the outcomes of "Faster R-CNN without negatives against each
     * other model" on false positives per negative image (A is the model without negatives; lower
     * is better, so the lesson shows where B is better). Where A is better the outcome is the
     * reverse of the case study's and reads so. Every conclusion starts with "Lesson (b)".
     */
    static String negativesConclusion(List<Verdict.Outcome> outcomes) {
        long shown = outcomes.stream().filter(o -> o == Verdict.Outcome.B_BETTER).count();
        long reversed = outcomes.stream().filter(o -> o == Verdict.Outcome.A_BETTER).count();
        int n = outcomes.size();
        String others = n == 2 ? "both other models" : "the other model";
        if (shown == n) {
            return "Lesson (b) shows beyond its interval: Faster R-CNN without negatives puts more boxes on negative images than "
                    + others + ".";
        }
        if (reversed == n) {
            return "Lesson (b) is reversed here: Faster R-CNN without negatives puts fewer boxes on negative images than "
                    + others + ", beyond the interval.";
        }
        if (shown == 0 && reversed == 0) {
            return "Lesson (b) is not distinguishable on this data: no pair's interval excludes 0.";
        }
        if (reversed == 0) {
            return "Lesson (b) shows against " + shown + " of " + n + " models; the other difference is not distinguishable on this data.";
        }
        if (shown == 0) {
            return "Lesson (b) is reversed against " + reversed + " of " + n
                    + " models (fewer boxes on negative images); the other difference is not distinguishable on this data.";
        }
        return "Lesson (b) is mixed: Faster R-CNN without negatives puts more boxes on negative images than one model and fewer"
                + " than the other, both beyond their intervals.";
    }

    /**
     * The answer to the published study's question (lesson b), generated from the paired intervals: does
     * Faster R-CNN trained without negatives put more boxes on negative images than each of the
     * other two? One sentence per pair, then the conclusion.
     */
    public String negativesVerdict() {
        List<Verdict> v = new ArrayList<>();
        pair(Contender.FASTER_RCNN_PUBLISHED, Contender.FASTER_RCNN, DetectionBootstrap.FP_PER_NEGATIVE, v);
        pair(Contender.FASTER_RCNN_PUBLISHED, Contender.RETINANET, DetectionBootstrap.FP_PER_NEGATIVE, v);
        if (v.isEmpty()) {
            return "Lesson (b) needs Faster R-CNN without negatives and at least one other model in the study.";
        }
        StringBuilder b = new StringBuilder();
        v.forEach(x -> b.append(x.sentence()).append('\n'));
        b.append(negativesConclusion(v.stream().map(Verdict::outcome).toList()));
        return b.toString();
    }
}
