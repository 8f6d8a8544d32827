package org.pneumolab.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.pneumolab.notebook.ProgressBar;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Scans a folder of DICOM files (recursively, {@code *.dcm}) into a table, one row per file,
 * reading headers only and in parallel. Bad files are reported (printed and returned) and
 * skipped; they never stop the scan.
 */
public final class DicomScan {
    /** A file that could not be read, and why. */
    public record ScanError(Path file, String problem) {
    }

    /** The table of readable files (sorted by path) and the files that were skipped. */
    public record Result(Table table, List<ScanError> errors) {
        /** The skipped files as a table (file, problem), to show next to the scan. */
        public Table problemTable() {
            return Table.create("Files skipped by the scan (" + errors.size() + ")",
                    StringColumn.create("file", errors.stream().map(e -> e.file().getFileName().toString())),
                    StringColumn.create("problem", errors.stream().map(ScanError::problem)));
        }
    }

    private record Row(Path path, String patientId, double age, String sex, String viewPosition, String modality,
                       String bodyPart, int rows, int columns, String photometric, String transferSyntax, long fileSize) {
    }

    private static final Pattern AGE = Pattern.compile("^\\s*(\\d{1,3})\\s*([DWMY]?)\\s*$");

    private DicomScan() {
    }

    /**
     * Scans {@code folder}. Columns: patientId, age (years; NaN if absent), sex, viewPosition,
     * modality, bodyPart, rows, columns, photometric, transferSyntax, fileSize, path.
     */
    public static Result scan(Path folder) throws IOException {
        return scan(folder, false);
    }

    /**
     * Scans {@code folder}; with {@code verifyPixels} every file is also read whole and its first
     * frame decoded, so a file with a readable header but damaged, missing or undecodable pixels
     * (truncated JPEG, pixel data shorter than the header says, above the pixel budget, no pixel
     * data at all) is in {@link Result#errors()} too, and the problem list is complete. Slower:
     * the whole folder is decoded once.
     */
    public static Result scan(Path folder, boolean verifyPixels) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm"))
                    .sorted().toList();
        }
        List<Row> rows = Collections.synchronizedList(new ArrayList<>());
        List<ScanError> errors = Collections.synchronizedList(new ArrayList<>());
        String what = verifyPixels ? "Scanning and decoding DICOM files in " : "Scanning DICOM headers in ";
        try (ProgressBar bar = ProgressBar.start(what + folder, files.size())) {
            files.parallelStream().forEach(p -> {
                String problem = null;
                try {
                    rows.add(verifyPixels ? verifiedRow(p) : row(p));
                } catch (IOException e) {
                    problem = e instanceof DicomException d ? d.problem() : e.toString();
                } catch (RuntimeException | StackOverflowError e) {
                    problem = "cannot read: " + e;
                } catch (OutOfMemoryError e) {
                    problem = "out of memory reading this file (heap limit "
                            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)";
                }
                if (problem != null) {
                    errors.add(new ScanError(p, problem));
                    System.err.println("skipped: " + p + ": " + problem);
                }
                bar.step();
            });
        }
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(Row::path));
        List<ScanError> sortedErrors = new ArrayList<>(errors);
        sortedErrors.sort(Comparator.comparing(ScanError::file));
        return new Result(toTable(folder, sorted), List.copyOf(sortedErrors));
    }

    private static Row row(Path p) throws IOException {
        return row(p, DicomReader.readHeader(p));
    }

    /** The row of a file whose pixels decode; a DicomException naming the problem otherwise. */
    private static Row verifiedRow(Path p) throws IOException {
        DicomFile f = DicomReader.read(p);
        if (!f.hasPixelData()) {
            throw new DicomException(p, "no pixel data (7FE0,0010): not an image");
        }
        DicomImages.toGray8(f);
        return row(p, f);
    }

    private static Row row(Path p, DicomFile f) throws IOException {
        DicomDataset a = f.attributes();
        return new Row(p, text(a, "PatientID"), ageYears(a.string("PatientAge")).orElse(Double.NaN),
                text(a, "PatientSex"), text(a, "ViewPosition"), text(a, "Modality"), text(a, "BodyPartExamined"),
                a.integer("Rows").orElse(-1), a.integer("Columns").orElse(-1), text(a, "PhotometricInterpretation"),
                f.transferSyntax().uid(), Files.size(p));
    }

    private static String text(DicomDataset a, String keyword) {
        return a.string(keyword).orElse("");
    }

    /**
     * Patient age in years: DICOM's AS ("058Y", "006M", "003W", "010D") or the plain number RSNA
     * writes ("58"). Empty when absent or unreadable.
     */
    public static OptionalDouble ageYears(Optional<String> value) {
        if (value.isEmpty()) {
            return OptionalDouble.empty();
        }
        Matcher m = AGE.matcher(value.get().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return OptionalDouble.empty();
        }
        double n = Integer.parseInt(m.group(1));
        return OptionalDouble.of(switch (m.group(2)) {
            case "D" -> n / 365.25;
            case "W" -> n * 7 / 365.25;
            case "M" -> n / 12;
            default -> n;
        });
    }

    private static Table toTable(Path folder, List<Row> rows) {
        Table t = Table.create("DICOM headers in " + folder);
        t.addColumns(
                StringColumn.create("patientId", rows.stream().map(Row::patientId)),
                DoubleColumn.create("age", rows.stream().mapToDouble(Row::age)),
                StringColumn.create("sex", rows.stream().map(Row::sex)),
                StringColumn.create("viewPosition", rows.stream().map(Row::viewPosition)),
                StringColumn.create("modality", rows.stream().map(Row::modality)),
                StringColumn.create("bodyPart", rows.stream().map(Row::bodyPart)),
                IntColumn.create("rows", rows.stream().mapToInt(Row::rows).toArray()),
                IntColumn.create("columns", rows.stream().mapToInt(Row::columns).toArray()),
                StringColumn.create("photometric", rows.stream().map(Row::photometric)),
                StringColumn.create("transferSyntax", rows.stream().map(Row::transferSyntax)),
                LongColumn.create("fileSize", rows.stream().mapToLong(Row::fileSize).toArray()),
                StringColumn.create("path", rows.stream().map(r -> r.path().toString())));
        return t;
    }

}
