package org.pneumolab.labels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pneumolab.geom.Box;
import org.pneumolab.io.CsvFile;
import org.pneumolab.io.DataProblem;

/**
 * The one reader of RSNA ground truth in the {@code stage_2_train_labels.csv} format
 * ({@code patientId,x,y,width,height,Target}, one row per box, one row with empty box fields and
 * Target 0 for an image without opacity). Columns are found by name, fields may be quoted, a
 * byte-order mark and any line ends are fine ({@link CsvFile}). The data set loader, the
 * {@code score} and {@code sweep} commands and the studies all read labels here, so one file
 * always means the same thing.
 *
 * <p>Rows that cannot be trusted are left out and listed in {@link #problems()} with file, line
 * and reason: a wrong number of fields, an empty patientId, a Target other than 0/1, a box that
 * is not four finite numbers with positive size, a Target 0 row with box values, a patient with
 * both Target 0 and Target 1 rows, a row repeated exactly. What to do about them is the caller's
 * decision: the CLIs stop unless told {@code --lenient}; notebooks report and carry on.
 *
 * @param boxes           per patient, in file order; an empty list for Target 0
 * @param problems        rows left out, with file, line and reason
 * @param rows            data rows in the file
 * @param droppedPatients patients named only on rows that were left out, so absent from {@code boxes}
 */
public record RsnaLabels(Map<String, List<Box>> boxes, List<DataProblem> problems, int rows,
                         Set<String> droppedPatients) {
    public static final List<String> COLUMNS = List.of("patientId", "x", "y", "width", "height", "Target");

    public static RsnaLabels read(Path file) throws IOException {
        CsvFile csv = CsvFile.read(file, COLUMNS);
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        Map<String, Long> targetZeroLine = new HashMap<>();
        Map<String, Long> rowLine = new HashMap<>();
        List<DataProblem> problems = new ArrayList<>();
        Set<String> mentioned = new HashSet<>();
        for (CsvFile.Row row : csv.rows()) {
            String id = csv.get(row, "patientId");
            if (!id.isEmpty()) {
                mentioned.add(id);
            }
            String problem = problem(csv, row, id, boxes, targetZeroLine, rowLine);
            if (problem != null) {
                problems.add(csv.problem(row, problem));
            }
        }
        Set<String> dropped = new HashSet<>(mentioned);
        dropped.removeAll(boxes.keySet());
        Map<String, List<Box>> frozen = new LinkedHashMap<>();
        boxes.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new RsnaLabels(Collections.unmodifiableMap(frozen), List.copyOf(problems), csv.rows().size(),
                Set.copyOf(dropped));
    }

    /** Adds the row to {@code boxes} and returns null, or returns why it was left out. */
    private static String problem(CsvFile csv, CsvFile.Row row, String id, Map<String, List<Box>> boxes,
                                  Map<String, Long> targetZeroLine, Map<String, Long> rowLine) {
        String width = csv.widthProblem(row);
        if (width != null) {
            return width;
        }
        if (id.isEmpty()) {
            return "empty patientId";
        }
        String target = csv.get(row, "Target");
        if (target.equals("0")) {
            for (String c : List.of("x", "y", "width", "height")) {
                if (!csv.get(row, c).isEmpty()) {
                    return "Target 0 row has a value in '" + c + "'";
                }
            }
            List<Box> earlier = boxes.get(id);
            if (earlier != null && !earlier.isEmpty()) {
                return "patient " + id + " has Target 1 rows and this Target 0 row";
            }
            if (targetZeroLine.containsKey(id)) {
                return "duplicate Target 0 row for patient " + id + " (line " + targetZeroLine.get(id) + ")";
            }
            targetZeroLine.put(id, row.line());
            boxes.put(id, new ArrayList<>());
            return null;
        }
        if (!target.equals("1")) {
            return "Target must be 0 or 1, got '" + target + "'";
        }
        double x;
        double y;
        double w;
        double h;
        try {
            x = finite(csv.get(row, "x"), "x");
            y = finite(csv.get(row, "y"), "y");
            w = finite(csv.get(row, "width"), "width");
            h = finite(csv.get(row, "height"), "height");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!(w > 0 && h > 0)) {
            return "box width and height must be positive, got " + w + " x " + h;
        }
        if (targetZeroLine.containsKey(id)) {
            return "patient " + id + " has a Target 0 row (line " + targetZeroLine.get(id) + ") and this Target 1 row";
        }
        String key = id + "|" + x + "|" + y + "|" + w + "|" + h;
        Long same = rowLine.putIfAbsent(key, row.line());
        if (same != null) {
            return "duplicate row: patient " + id + " has the same box on line " + same;
        }
        boxes.computeIfAbsent(id, k -> new ArrayList<>()).add(Box.fromXywh(x, y, w, h));
        return null;
    }

    /** A finite number, else an IllegalArgumentException naming the field and the text. */
    public static double finite(String s, String what) {
        double v;
        try {
            v = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + what + (s.isBlank() ? "' is empty" : "' is not a number: '" + s + "'"));
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("'" + what + "' is not finite: '" + s + "'");
        }
        return v;
    }

    /** Boxes over all patients. */
    public int boxCount() {
        return boxes.values().stream().mapToInt(List::size).sum();
    }

    /** Rows left out. */
    public int droppedRows() {
        return problems.size();
    }
}
