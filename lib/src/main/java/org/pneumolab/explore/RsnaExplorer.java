package org.pneumolab.explore;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pneumolab.labels.DetailedClass;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.geom.Box;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.dicom.DicomException;
import org.pneumolab.dicom.DicomFile;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.dicom.DicomReader;
import org.pneumolab.notebook.ProgressBar;
import org.pneumolab.viz.BoxOverlay;
import org.pneumolab.viz.Heatmap;
import org.pneumolab.viz.ImageGrid;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Charts and tables that describe an RSNA-layout data set: labels joined with the DICOM headers of
 * the training images. Everything a first look at the data needs, computed here so that the
 * notebook only calls and shows.
 */
public final class RsnaExplorer {
    /** Images are 1024 x 1024 in RSNA (and in the sample); boxes are in those pixels. */
    public static final int IMAGE_SIZE = 1024;

    private final RsnaDataset data;
    /** Row index in {@link #headers} by patient (Tablesaw's Row is a moving cursor, so keep indices). */
    private final Map<String, Integer> headerByPatient = new HashMap<>();
    private final Table headers;
    private final String dataName;
    private final ProblemLog log;

    /**
     * @param headers the table of {@code DicomScan.scan(root/stage_2_train_images)}: patientId, age,
     *                sex, viewPosition, ... one row per readable file
     * @param dataName what the data is, for chart titles (e.g. "sample" or "RSNA stage 2")
     */
    public RsnaExplorer(RsnaDataset data, Table headers, String dataName) {
        this(data, headers, dataName, ProblemLog.toStderr());
    }

    /**
     * @param log where an image that cannot be decoded is reported (file and reason) when a view
     *            skips it
     */
    public RsnaExplorer(RsnaDataset data, Table headers, String dataName, ProblemLog log) {
        this.log = log;
        this.data = data;
        this.headers = headers;
        this.dataName = dataName;
        StringColumn ids = headers.stringColumn("patientId");
        for (int i = 0; i < ids.size(); i++) {
            headerByPatient.put(ids.get(i), i);
        }
    }

    private String titled(String what) {
        return what + " (" + dataName + ", train labels)";
    }

    /** One row per labelled patient with an image: class, target, box count and header fields. */
    public Table patients() {
        List<RsnaRecord> recs = data.records();
        StringColumn id = StringColumn.create("patientId");
        StringColumn cls = StringColumn.create("class");
        IntColumn target = IntColumn.create("Target");
        IntColumn boxes = IntColumn.create("boxes");
        DoubleColumn age = DoubleColumn.create("age");
        StringColumn sex = StringColumn.create("sex");
        StringColumn view = StringColumn.create("view");
        for (RsnaRecord r : recs) {
            Integer h = headerByPatient.get(r.patientId());
            id.append(r.patientId());
            cls.append(r.cls().label());
            target.append(r.target());
            boxes.append(r.boxes().size());
            age.append(h == null ? Double.NaN : headers.doubleColumn("age").get(h));
            sex.append(h == null ? "" : headers.stringColumn("sex").get(h));
            view.append(h == null ? "" : headers.stringColumn("viewPosition").get(h));
        }
        return Table.create("Patients (" + dataName + ")", id, cls, target, boxes, age, sex, view);
    }

    /** Patients per detailed class, as counts and shares. */
    public Table classBalanceTable() {
        Map<DetailedClass, Integer> counts = new EnumMap<>(DetailedClass.class);
        for (RsnaRecord r : data.records()) {
            counts.merge(r.cls(), 1, Integer::sum);
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringColumn cls = StringColumn.create("class");
        IntColumn n = IntColumn.create("patients");
        DoubleColumn share = DoubleColumn.create("share %");
        for (DetailedClass c : DetailedClass.values()) {
            int k = counts.getOrDefault(c, 0);
            cls.append(c.label());
            n.append(k);
            share.append(total == 0 ? Double.NaN : Math.round(1000.0 * k / total) / 10.0);
        }
        return Table.create("Class balance (" + dataName + ")", cls, n, share);
    }

    public CategoryChart classBalance() {
        Table t = classBalanceTable();
        CategoryChart c = new CategoryChartBuilder().width(640).height(340).title(titled("Patients per class"))
                .xAxisTitle("detailed class").yAxisTitle("patients (count)").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.addSeries("patients", t.stringColumn("class").asList(), t.intColumn("patients").asList());
        return c;
    }

    /** How many boxes each positive image has. */
    public CategoryChart boxesPerImage() {
        Map<Integer, Integer> hist = new TreeMap<>();
        for (RsnaRecord r : data.records()) {
            if (!r.boxes().isEmpty()) {
                hist.merge(r.boxes().size(), 1, Integer::sum);
            }
        }
        CategoryChart c = new CategoryChartBuilder().width(640).height(340)
                .title(titled("Boxes per Lung Opacity image")).xAxisTitle("boxes in the image (count)")
                .yAxisTitle("images (count)").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        if (hist.isEmpty()) {
            hist.put(0, 0);
        }
        c.addSeries("images", new ArrayList<>(hist.keySet()), new ArrayList<>(hist.values()));
        return c;
    }

    /** Box width against height, in original-image pixels. */
    public XYChart boxSizes() {
        List<Double> w = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        for (RsnaRecord r : data.records()) {
            for (Box b : r.boxes()) {
                w.add(b.width());
                h.add(b.height());
            }
        }
        XYChart c = new XYChartBuilder().width(640).height(460).title(titled("Box sizes"))
                .xAxisTitle("box width (px of 1024)").yAxisTitle("box height (px of 1024)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setLegendVisible(false);
        if (w.isEmpty()) {
            w.add(0.0);
            h.add(0.0);
        }
        c.addSeries("boxes", w, h).setMarker(SeriesMarkers.CIRCLE);
        return c;
    }

    /** Where box centres fall on the 1024 x 1024 image, counted in {@code bins} x {@code bins} cells. */
    public Heatmap boxCentres(int bins) {
        double[][] counts = new double[bins][bins];
        for (RsnaRecord r : data.records()) {
            for (Box b : r.boxes()) {
                int cx = (int) Math.min(bins - 1, Math.max(0, b.centreX() / IMAGE_SIZE * bins));
                int cy = (int) Math.min(bins - 1, Math.max(0, b.centreY() / IMAGE_SIZE * bins));
                counts[cy][cx]++;
            }
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(String.valueOf(i * IMAGE_SIZE / bins));
        }
        return new Heatmap(titled("Box centres"), "x of centre (px, left edge of cell)", labels,
                "y of centre (px, top edge of cell)", labels, counts).numbers(bins <= 12, "%.0f");
    }

    /** Age histogram (10-year bins) split by Target. */
    public CategoryChart ageByTarget() {
        Map<String, int[]> bins = new LinkedHashMap<>();
        for (int lo = 0; lo < 100; lo += 10) {
            bins.put(lo + "-" + (lo + 9), new int[2]);
        }
        bins.put("100+", new int[2]);
        Table p = patients();
        for (Row r : p) {
            double a = r.getDouble("age");
            if (Double.isNaN(a)) {
                continue;
            }
            String key = a >= 100 ? "100+" : ((int) a / 10 * 10) + "-" + ((int) a / 10 * 10 + 9);
            bins.get(key)[r.getInt("Target")]++;
        }
        CategoryChart c = new CategoryChartBuilder().width(820).height(360).title(titled("Age by target"))
                .xAxisTitle("age (years)").yAxisTitle("patients (count)").build();
        List<String> keys = new ArrayList<>(bins.keySet());
        c.addSeries("Target 0 (no opacity)", keys, keys.stream().map(k -> bins.get(k)[0]).toList());
        c.addSeries("Target 1 (Lung Opacity)", keys, keys.stream().map(k -> bins.get(k)[1]).toList());
        return c;
    }

    /** Opacity rate by a header field ("view" or "sex") with Wilson 95% intervals. */
    public Table opacityRateBy(String field) {
        Map<String, int[]> counts = new TreeMap<>();
        for (Row r : patients()) {
            String k = r.getString(field);
            int[] c = counts.computeIfAbsent(k.isEmpty() ? "(missing)" : k, x -> new int[2]);
            c[0]++;
            c[1] += r.getInt("Target");
        }
        StringColumn key = StringColumn.create(field);
        IntColumn n = IntColumn.create("patients");
        IntColumn pos = IntColumn.create("Lung Opacity");
        DoubleColumn rate = DoubleColumn.create("rate");
        DoubleColumn lo = DoubleColumn.create("rate 95% lo");
        DoubleColumn hi = DoubleColumn.create("rate 95% hi");
        counts.forEach((k, c) -> {
            Proportion p = Proportion.of(c[1], c[0]);
            key.append(k);
            n.append(c[0]);
            pos.append(c[1]);
            rate.append(round3(p.rate()));
            lo.append(round3(p.lo()));
            hi.append(round3(p.hi()));
        });
        return Table.create("Lung Opacity rate by " + field + " (" + dataName + ", Wilson 95% CI)",
                key, n, pos, rate, lo, hi);
    }

    public CategoryChart opacityRateChart(String field) {
        Table t = opacityRateBy(field);
        CategoryChart c = new CategoryChartBuilder().width(640).height(360)
                .title(titled("Lung Opacity rate by " + field)).xAxisTitle(field)
                .yAxisTitle("share of patients with Lung Opacity (95% CI)").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
        List<Double> rates = t.doubleColumn("rate").asList();
        List<Double> err = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            err.add((t.doubleColumn("rate 95% hi").get(i) - t.doubleColumn("rate 95% lo").get(i)) / 2);
        }
        c.addSeries("rate", t.stringColumn(field).asList(), rates, err);
        return c;
    }

    /** Counts of a header field ("sex", "view"). */
    public CategoryChart counts(String field) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Row r : patients()) {
            String k = r.getString(field);
            counts.merge(k.isEmpty() ? "(missing)" : k, 1, Integer::sum);
        }
        CategoryChart c = new CategoryChartBuilder().width(560).height(320).title(titled("Patients by " + field))
                .xAxisTitle(field).yAxisTitle("patients (count)").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.addSeries("patients", new ArrayList<>(counts.keySet()), new ArrayList<>(counts.values()));
        return c;
    }

    /**
     * Mean pixel-intensity histogram per class (display pixels 0-255, 32 bins, normalised to
     * sum 1), from up to {@code perClass} seeded random images of each class.
     */
    public XYChart intensityHistograms(int perClass, long seed) {
        int bins = 32;
        XYChart c = new XYChartBuilder().width(820).height(380).title(titled("Pixel intensity by class"))
                .xAxisTitle("display intensity (0 = black, 255 = white)").yAxisTitle("share of pixels").build();
        c.getStyler().setMarkerSize(0);
        Map<DetailedClass, List<RsnaRecord>> picks = shuffled(seed);
        int total = picks.values().stream().mapToInt(l -> Math.min(perClass, l.size())).sum();
        try (ProgressBar bar = ProgressBar.start("Reading images for intensity histograms", total)) {
            for (Map.Entry<DetailedClass, List<RsnaRecord>> e : picks.entrySet()) {
                double[] hist = new double[bins];
                long pixels = 0;
                int used = 0;
                for (RsnaRecord r : e.getValue()) {
                    if (used == perClass) {
                        break;
                    }
                    BufferedImage img = decodeOrReport(r.dicom());
                    if (img == null) {
                        continue; // reported; the next image of the class takes its place
                    }
                    used++;
                    var raster = img.getRaster();
                    int[] row = new int[img.getWidth()];
                    for (int y = 0; y < img.getHeight(); y += 2) {
                        raster.getSamples(0, y, img.getWidth(), 1, 0, row);
                        for (int x = 0; x < row.length; x += 2) {
                            hist[row[x] * bins / 256]++;
                            pixels++;
                        }
                    }
                    bar.step();
                }
                if (pixels == 0) {
                    continue;
                }
                double[] x = new double[bins];
                for (int i = 0; i < bins; i++) {
                    hist[i] /= pixels;
                    x[i] = (i + 0.5) * 256.0 / bins;
                }
                c.addSeries(e.getKey().label() + " (" + used + " images)", x, hist);
            }
        }
        return c;
    }

    /** A grid of {@code perClass} seeded random images per class, true boxes drawn in green. */
    public ImageGrid examples(int perClass, long seed, int cellSize) {
        ImageGrid grid = new ImageGrid("Examples per class (" + dataName + "); green: labelled Lung Opacity boxes",
                perClass, cellSize);
        for (Map.Entry<DetailedClass, List<RsnaRecord>> e : shuffled(seed).entrySet()) {
            int used = 0;
            for (RsnaRecord r : e.getValue()) {
                if (used == perClass) {
                    break;
                }
                BufferedImage img = decodeOrReport(r.dicom());
                if (img == null) {
                    continue;
                }
                used++;
                BufferedImage shown = BoxOverlay.draw(img, r.boxes(), BoxOverlay.TRUE_POSITIVE, null);
                grid.add(shown, e.getKey().label() + " · " + r.patientId().substring(0, Math.min(8, r.patientId().length())));
            }
        }
        return grid;
    }

    /** One labelled image with its boxes drawn, for a first look. */
    public static BufferedImage withBoxes(RsnaRecord record) throws IOException {
        return BoxOverlay.draw(DicomImages.readGray8(record.dicom()), record.boxes(), BoxOverlay.TRUE_POSITIVE, null);
    }

    /**
     * Per class, the records whose file the header scan could read, in a seeded random order: views
     * take the first ones that decode. (With a pixel-verifying scan, files that cannot be decoded
     * are already absent from the headers table.)
     */
    private Map<DetailedClass, List<RsnaRecord>> shuffled(long seed) {
        Map<DetailedClass, List<RsnaRecord>> byClass = new EnumMap<>(DetailedClass.class);
        for (RsnaRecord r : data.records()) {
            if (headerByPatient.containsKey(r.patientId())) {
                byClass.computeIfAbsent(r.cls(), k -> new ArrayList<>()).add(r);
            }
        }
        Random rnd = new Random(seed);
        Map<DetailedClass, List<RsnaRecord>> out = new EnumMap<>(DetailedClass.class);
        for (Map.Entry<DetailedClass, List<RsnaRecord>> e : byClass.entrySet()) {
            List<RsnaRecord> list = new ArrayList<>(e.getValue());
            Collections.shuffle(list, rnd);
            out.put(e.getKey(), List.copyOf(list));
        }
        return out;
    }

    /** The display image, or null after reporting file and reason to the log. */
    private BufferedImage decodeOrReport(Path file) {
        return decodeOrReport(file, log);
    }

    private static BufferedImage decodeOrReport(Path file, ProblemLog log) {
        try {
            return DicomImages.readGray8(file);
        } catch (DicomException e) {
            log.report(file, e.problem());
        } catch (IOException | RuntimeException e) {
            log.report(file, "cannot decode (" + e + ")");
        } catch (OutOfMemoryError e) {
            log.report(file, "out of memory decoding it");
        }
        return null;
    }

    /** An example record with its parsed file and display image. */
    public record Example(RsnaRecord record, DicomFile file, BufferedImage image) {
        /** The image with the record's boxes drawn. */
        public BufferedImage withBoxes() {
            return BoxOverlay.draw(image, record.boxes(), BoxOverlay.TRUE_POSITIVE, null);
        }
    }

    /**
     * The first of {@code candidates} whose file reads and decodes (preferring records with at least
     * {@code minBoxes} boxes); each one that does not is reported to {@code log} and passed over.
     * Empty when none decodes.
     */
    public static java.util.Optional<Example> firstReadable(List<RsnaRecord> candidates, int minBoxes, ProblemLog log) {
        List<RsnaRecord> ordered = new ArrayList<>();
        candidates.stream().filter(r -> r.boxes().size() >= minBoxes).forEach(ordered::add);
        candidates.stream().filter(r -> r.boxes().size() < minBoxes).forEach(ordered::add);
        for (RsnaRecord r : ordered) {
            try {
                DicomFile f = DicomReader.read(r.dicom());
                BufferedImage img = DicomImages.toGray8(f);
                return java.util.Optional.of(new Example(r, f, img));
            } catch (DicomException e) {
                log.report(r.dicom(), e.problem());
            } catch (IOException | RuntimeException e) {
                log.report(r.dicom(), "cannot decode (" + e + ")");
            } catch (OutOfMemoryError e) {
                log.report(r.dicom(), "out of memory decoding it");
            }
        }
        return java.util.Optional.empty();
    }

    private static double round3(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000.0) / 1000.0;
    }

    /** The folder of training images under an RSNA root. */
    public static Path trainImages(Path rsnaRoot) {
        return rsnaRoot.resolve(RsnaDataset.TRAIN_IMAGES);
    }

    public Table headers() {
        return headers;
    }
}
