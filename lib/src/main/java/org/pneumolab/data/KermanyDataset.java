package org.pneumolab.data;

import org.pneumolab.io.DataProblem;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Kermany et al.'s pediatric chest X-rays as Kaggle ships them:
 * {@code chest_xray/{train,val,test}/{NORMAL,PNEUMONIA}/*.jpeg} (real counts: train 1,341 normal /
 * 3,875 pneumonia, val 8 / 8, test 234 / 390). Listing does not decode; images that fail later
 * are reported by the iterators. Names that match no known pattern, non-image files and missing
 * folders are reported.
 */
public final class KermanyDataset {
    public static final String NORMAL = "NORMAL";
    public static final String PNEUMONIA = "PNEUMONIA";
    public static final List<String> SPLITS = List.of("train", "val", "test");
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpeg", "jpg", "png");

    private final Path root;
    private final List<KermanyRecord> records;
    private final List<DataProblem> problems;

    private KermanyDataset(Path root, List<KermanyRecord> records, List<DataProblem> problems) {
        this.root = root;
        this.records = List.copyOf(records);
        this.problems = List.copyOf(problems);
    }

    public static KermanyDataset load(Path chestXray) throws IOException {
        return load(chestXray, ProblemLog.toStderr());
    }

    public static KermanyDataset load(Path chestXray, ProblemLog log) throws IOException {
        if (!Files.isDirectory(chestXray)) {
            throw new IOException(chestXray + ": Kermany folder not found (expected chest_xray/ with train/ val/ test/)");
        }
        List<KermanyRecord> records = new ArrayList<>();
        for (String split : SPLITS) {
            for (String cls : List.of(NORMAL, PNEUMONIA)) {
                Path folder = chestXray.resolve(split).resolve(cls);
                if (!Files.isDirectory(folder)) {
                    log.report(folder, "folder not found");
                    continue;
                }
                readFolder(folder, split, cls.equals(PNEUMONIA) ? 1 : 0, records, log);
            }
        }
        return new KermanyDataset(chestXray, records, log.problems());
    }

    private static void readFolder(Path folder, String split, int label, List<KermanyRecord> out, ProblemLog log)
            throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.startsWith(".")) {
                continue; // .DS_Store and other OS metadata in the Kaggle zip are not data
            }
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (!Files.isRegularFile(f) || !IMAGE_EXTENSIONS.contains(ext)) {
                log.report(f, "not an image file (expected .jpeg, .jpg or .png); skipped");
                continue;
            }
            KermanyName parsed = KermanyName.parse(name);
            if (!parsed.recognised()) {
                log.report(f, "file name matches no known pattern; patient taken as '" + parsed.patient() + "'");
            } else if ((parsed.subtype() == KermanyName.Subtype.NORMAL) != (label == 0)) {
                log.report(f, "name says " + parsed.subtype() + " but the file is in the "
                        + (label == 1 ? PNEUMONIA : NORMAL) + " folder; the folder decides the label");
            }
            out.add(new KermanyRecord(f, split, label, parsed.patient(), parsed.subtype()));
        }
    }

    public Path root() {
        return root;
    }

    public List<KermanyRecord> records() {
        return records;
    }

    /** The images of one folder split: "train", "val" or "test". */
    public List<KermanyRecord> split(String name) {
        if (!SPLITS.contains(name)) {
            throw new IllegalArgumentException("Kermany splits are " + SPLITS + ", not '" + name + "'");
        }
        return records.stream().filter(r -> r.split().equals(name)).toList();
    }

    public List<DataProblem> problems() {
        return problems;
    }

    /** The folder splits as Kaggle ships them, leakage-checked. */
    public Split<KermanyRecord> shippedSplit() {
        Map<String, List<KermanyRecord>> parts = new LinkedHashMap<>();
        SPLITS.forEach(s -> parts.put(s, split(s)));
        return Split.of(parts, KermanyRecord::patient);
    }

    /**
     * The shipped 16-image val folder is too small to select a model on, so this pools train and
     * val, re-splits them by patient (stratified by label, seeded) into train and val, and keeps
     * the shipped test set untouched. The leakage check covers all three parts.
     */
    public Split<KermanyRecord> resplit(double valFraction, long seed) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in (0, 1), got " + valFraction);
        }
        List<KermanyRecord> pool = new ArrayList<>(split("train"));
        pool.addAll(split("val"));
        Split<KermanyRecord> tv = Splits.trainVal(pool, KermanyRecord::patient, KermanyRecord::label, valFraction, seed);
        Map<String, List<KermanyRecord>> parts = new LinkedHashMap<>(tv.parts());
        parts.put("test", split("test"));
        return Split.of(parts, KermanyRecord::patient);
    }

    /** One row per image: split, class, subtype, patient, file. */
    public Table table() {
        return Table.create("Kermany images",
                StringColumn.create("split", records.stream().map(KermanyRecord::split).toList()),
                StringColumn.create("class", records.stream().map(r -> r.label() == 1 ? PNEUMONIA : NORMAL).toList()),
                IntColumn.create("label", records.stream().mapToInt(KermanyRecord::label).toArray()),
                StringColumn.create("subtype", records.stream().map(r -> r.subtype().name()).toList()),
                StringColumn.create("patient", records.stream().map(KermanyRecord::patient).toList()),
                StringColumn.create("file", records.stream().map(r -> r.image().getFileName().toString()).toList()));
    }

    /** Counts per shipped split and class, to compare with the real 1,341/3,875, 8/8, 234/390. */
    public String summary() {
        StringBuilder s = new StringBuilder("Kermany " + root + ":");
        for (String split : SPLITS) {
            List<KermanyRecord> r = split(split);
            long pos = r.stream().filter(k -> k.label() == 1).count();
            s.append(String.format(Locale.ROOT, "%n  %-5s normal %d, pneumonia %d, patients %d", split,
                    r.size() - pos, pos, r.stream().map(KermanyRecord::patient).distinct().count()));
        }
        return s.append("\n  problems: ").append(problems.size()).toString();
    }
}
