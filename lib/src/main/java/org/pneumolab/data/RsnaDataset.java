package org.pneumolab.data;

import org.pneumolab.labels.DetailedClass;
import org.pneumolab.labels.DetailedClasses;
import org.pneumolab.labels.RsnaLabels;
import org.pneumolab.io.DataProblem;
import org.pneumolab.geom.Box;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The RSNA Pneumonia Detection Challenge training set as Kaggle ships it:
 * <pre>
 *   stage_2_train_labels.csv          patientId,x,y,width,height,Target  (one row per box;
 *                                     Target 0 rows have empty box fields)
 *   stage_2_detailed_class_info.csv   patientId,class  (repeats a patient once per label row)
 *   stage_2_train_images/&lt;patientId&gt;.dcm
 *   stage_2_test_images/&lt;patientId&gt;.dcm
 * </pre>
 * Malformed rows and inconsistencies are reported (file:line and the problem) and skipped;
 * labelled patients whose image is missing are reported and kept apart in
 * {@link #withoutImage()} so label statistics still see every patient.
 */
public final class RsnaDataset {
    public static final String LABELS = "stage_2_train_labels.csv";
    public static final String CLASSES = "stage_2_detailed_class_info.csv";
    public static final String TRAIN_IMAGES = "stage_2_train_images";
    public static final String TEST_IMAGES = "stage_2_test_images";

    private final Path root;
    private final List<RsnaRecord> records;
    private final List<RsnaRecord> withoutImage;
    private final List<Path> testImages;
    private final List<DataProblem> problems;

    private RsnaDataset(Path root, List<RsnaRecord> records, List<RsnaRecord> withoutImage,
                        List<Path> testImages, List<DataProblem> problems) {
        this.root = root;
        this.records = List.copyOf(records);
        this.withoutImage = List.copyOf(withoutImage);
        this.testImages = List.copyOf(testImages);
        this.problems = List.copyOf(problems);
    }

    /** Reads the folder, printing each problem to standard error as it is found. */
    public static RsnaDataset load(Path root) throws IOException {
        return load(root, ProblemLog.toStderr());
    }

    public static RsnaDataset load(Path root, ProblemLog log) throws IOException {
        Map<String, List<Box>> boxes = readLabels(root.resolve(LABELS), log);
        Map<String, DetailedClass> classes = readClasses(root.resolve(CLASSES), log);
        Set<String> onDisk = dicomStems(root.resolve(TRAIN_IMAGES), log);

        List<RsnaRecord> records = new ArrayList<>();
        List<RsnaRecord> withoutImage = new ArrayList<>();
        Path classFile = root.resolve(CLASSES);
        for (Map.Entry<String, List<Box>> e : boxes.entrySet()) {
            String id = e.getKey();
            DetailedClass cls = classes.get(id);
            if (cls == null) {
                log.report(classFile, "patient " + id + " is in " + LABELS + " but has no class; skipped");
                continue;
            }
            boolean positive = !e.getValue().isEmpty();
            if (positive != (cls == DetailedClass.LUNG_OPACITY)) {
                log.report(classFile, "patient " + id + " has class '" + cls.label() + "' but "
                        + (positive ? "boxes (Target 1)" : "no boxes (Target 0)") + " in " + LABELS + "; skipped");
                continue;
            }
            Path dicom = root.resolve(TRAIN_IMAGES).resolve(id + ".dcm");
            RsnaRecord r = new RsnaRecord(id, dicom, cls, e.getValue());
            if (onDisk.contains(id)) {
                records.add(r);
            } else {
                withoutImage.add(r);
            }
        }
        if (!withoutImage.isEmpty()) {
            log.report(root.resolve(TRAIN_IMAGES), withoutImage.size() + " labelled patients have no image on disk"
                    + " (first: " + withoutImage.get(0).dicom().getFileName() + "); kept out of records()");
        }
        for (String id : classes.keySet()) {
            if (!boxes.containsKey(id)) {
                log.report(classFile, "patient " + id + " has a class but no row in " + LABELS + "; skipped");
            }
        }
        return new RsnaDataset(root, records, withoutImage, listDicoms(root.resolve(TEST_IMAGES)), log.problems());
    }

    /** Patient id to boxes, in file order; an empty list is a Target 0 patient. Problems go to the log. */
    private static Map<String, List<Box>> readLabels(Path file, ProblemLog log) throws IOException {
        RsnaLabels labels = RsnaLabels.read(file);
        labels.problems().forEach(log::report);
        return labels.boxes();
    }

    /** Patient id to class; a patient given two classes is left out. Problems go to the log. */
    private static Map<String, DetailedClass> readClasses(Path file, ProblemLog log) throws IOException {
        DetailedClasses classes = DetailedClasses.read(file);
        classes.problems().forEach(log::report);
        return classes.classes();
    }

    /** The patient ids with a {@code .dcm} in the folder, listed once (26k existence checks would be slow). */
    private static Set<String> dicomStems(Path folder, ProblemLog log) throws IOException {
        Set<String> stems = new HashSet<>();
        if (!Files.isDirectory(folder)) {
            log.report(folder, "image folder not found");
            return stems;
        }
        for (Path p : listDicoms(folder)) {
            stems.add(ImageIds.of(p));
        }
        return stems;
    }

    private static List<Path> listDicoms(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm"))
                    .sorted().toList();
        }
    }

    public Path root() {
        return root;
    }

    /** Labelled patients whose image is on disk, in label-file order. */
    public List<RsnaRecord> records() {
        return records;
    }

    /** Labelled patients whose DICOM is missing (reported at load). */
    public List<RsnaRecord> withoutImage() {
        return withoutImage;
    }

    /** Every labelled patient, with or without an image: for label statistics. */
    public List<RsnaRecord> allLabelled() {
        List<RsnaRecord> all = new ArrayList<>(records);
        all.addAll(withoutImage);
        return all;
    }

    /** The unlabelled challenge test images (sorted); empty when the folder is absent. */
    public List<Path> testImages() {
        return testImages;
    }

    public List<DataProblem> problems() {
        return problems;
    }

    /** One row per labelled patient: patientId, class, Target, boxes, hasImage. */
    public Table table() {
        List<RsnaRecord> all = allLabelled();
        Set<String> missing = new HashSet<>();
        withoutImage.forEach(r -> missing.add(r.patientId()));
        return Table.create("RSNA train labels",
                StringColumn.create("patientId", all.stream().map(RsnaRecord::patientId).toList()),
                StringColumn.create("class", all.stream().map(r -> r.cls().label()).toList()),
                IntColumn.create("Target", all.stream().mapToInt(RsnaRecord::target).toArray()),
                IntColumn.create("boxes", all.stream().mapToInt(r -> r.boxes().size()).toArray()),
                BooleanColumn.create("hasImage", all.stream().map(r -> !missing.contains(r.patientId())).toList()));
    }

    /** One row per box in Kaggle's {@code x, y, width, height}. */
    public Table boxTable() {
        List<String> ids = new ArrayList<>();
        List<double[]> xywh = new ArrayList<>();
        for (RsnaRecord r : allLabelled()) {
            for (Box b : r.boxes()) {
                ids.add(r.patientId());
                xywh.add(b.toXywh());
            }
        }
        return Table.create("RSNA boxes",
                StringColumn.create("patientId", ids),
                DoubleColumn.create("x", xywh.stream().mapToDouble(a -> a[0]).toArray()),
                DoubleColumn.create("y", xywh.stream().mapToDouble(a -> a[1]).toArray()),
                DoubleColumn.create("width", xywh.stream().mapToDouble(a -> a[2]).toArray()),
                DoubleColumn.create("height", xywh.stream().mapToDouble(a -> a[3]).toArray()));
    }

    /** Counts to compare with the real data (26,684 patients, 6,012 positive, 9,555 boxes). */
    public String summary() {
        List<RsnaRecord> all = allLabelled();
        Map<DetailedClass, Integer> perClass = new EnumMap<>(DetailedClass.class);
        Map<Integer, Integer> perCount = new TreeMap<>();
        int positives = 0;
        int boxCount = 0;
        for (RsnaRecord r : all) {
            perClass.merge(r.cls(), 1, Integer::sum);
            if (r.target() == 1) {
                positives++;
                boxCount += r.boxes().size();
                perCount.merge(r.boxes().size(), 1, Integer::sum);
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "RSNA %s: %d patients (%d with image), %d positive with %d boxes, %d test images%n",
                root, all.size(), records.size(), positives, boxCount, testImages.size()));
        perClass.forEach((c, n) -> s.append("  class ").append(c.label()).append(": ").append(n).append('\n'));
        perCount.forEach((k, n) -> s.append("  ").append(k).append(" box(es): ").append(n).append(" images\n"));
        s.append("  problems: ").append(problems.size());
        return s.toString();
    }
}
