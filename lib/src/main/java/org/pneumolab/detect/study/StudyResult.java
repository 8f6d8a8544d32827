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

    StudyResult(StudySpec spec, DetectionData data, List<ModelOutcome> outcomes) {
        this.spec = spec;
        this.data = data;
        this.outcomes = List.copyOf(outcomes);
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
        DoubleColumn spe = DoubleColumn.create("train s/epoch");
        DoubleColumn ms = DoubleColumn.create("inference ms/image");
        DoubleColumn mem = DoubleColumn.create("peak process RSS MiB (this session)");
        DoubleColumn nat = DoubleColumn.create("ND4J arrays MiB (peak at epoch ends)");
        for (ModelOutcome o : outcomes) {
            model.append(o.contender().label());
            split.append(o.heldOut().split());
            rsna.append(o.heldOut().score());
            ap.append(o.heldOut().ap50());
            valRsna.append(o.val().score());
            trained.append(o.trainImagesUsed());
            params.append(o.parameters());
            spe.append(o.secondsPerEpoch());
            ms.append(o.msPerImage());
            mem.append(o.peakPhysicalBytes() / 1048576.0);
            nat.append(o.peakNativeBytes() / 1048576.0);
        }
        return Table.create("Detectors on the " + StudySpec.HELD_OUT + " split (" + data.part(StudySpec.HELD_OUT).size()
                        + " images; post-processing: score >= " + spec.post().scoreThreshold() + ", NMS IoU "
                        + spec.post().nmsIou() + ", <= " + spec.post().maxDetections() + " boxes, shrink " + spec.post().shrink() + ")",
                model, split, rsna, ap, valRsna, trained, params, spe, ms, mem, nat);
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
        return t;
    }

    /** Bar chart of {@link #falsePositives()}. */
    public CategoryChart falsePositiveChart() {
        CategoryChart chart = new CategoryChartBuilder().width(760).height(380)
                .title("False positives per image by detailed class (" + StudySpec.HELD_OUT + " split)")
                .xAxisTitle("detailed class (ground truth)").yAxisTitle("false positive boxes per image").build();
        List<String> classes = new ArrayList<>();
        for (DetailedClass c : DetailedClass.values()) {
            classes.add(c.label());
        }
        for (ModelOutcome o : outcomes) {
            List<Double> v = new ArrayList<>();
            for (String c : classes) {
                double x = o.falsePositivesPerImage(c);
                v.add(Double.isNaN(x) ? 0.0 : x);
            }
            chart.addSeries(o.contender().label(), classes, v);
        }
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

    /** The answer to the published study's question in one sentence, from the held-out numbers. */
    public String negativesVerdict() {
        String nlo = DetailedClass.NO_LUNG_OPACITY_NOT_NORMAL.label();
        String normal = DetailedClass.NORMAL.label();
        StringBuilder b = new StringBuilder("False positives per image on held-out negatives (" + nlo + " / " + normal + "): ");
        for (ModelOutcome o : outcomes) {
            b.append(String.format(Locale.ROOT, "%s %.2f / %.2f; ", o.contender().label(),
                    o.falsePositivesPerImage(nlo), o.falsePositivesPerImage(normal)));
        }
        return b.toString().replaceAll("; $", ".");
    }
}
