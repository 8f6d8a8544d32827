package org.pneumolab.metrics;

import java.io.IOException;
import java.math.BigDecimal;
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
import org.pneumolab.geom.Detection;
import org.pneumolab.io.CsvFile;
import org.pneumolab.io.DataProblem;
import org.pneumolab.labels.RsnaLabels;

/**
 * A Kaggle submission for the RSNA challenge: {@code patientId,PredictionString}, where the
 * prediction string is groups of {@code confidence x y width height} separated by spaces, and
 * empty for an image without boxes. Read and written through {@link CsvFile} (columns by name,
 * quoting, byte-order marks and line ends handled by univocity-parsers). The same format carries
 * raw detections for the sweep.
 *
 * @param predictions     per patient, in file order
 * @param problems        rows the reader left out, with file, line and reason (empty for a written one)
 * @param droppedPatients patients named only on rows that were left out
 */
public record Submission(Map<String, List<Detection>> predictions, List<DataProblem> problems,
                         Set<String> droppedPatients) {
    public static final List<String> COLUMNS = List.of("patientId", "PredictionString");
    public static final String HEADER = String.join(",", COLUMNS);

    public static Submission of(Map<String, List<Detection>> predictions) {
        Map<String, List<Detection>> copy = new LinkedHashMap<>();
        predictions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Submission(Collections.unmodifiableMap(copy), List.of(), Set.of());
    }

    /** Writes the file atomically; numbers in their shortest exact decimal form. */
    public void write(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>(predictions.size());
        predictions.forEach((id, dets) -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < dets.size(); i++) {
                Detection d = dets.get(i);
                double[] xywh = d.box().toXywh();
                b.append(i == 0 ? "" : " ").append(number(d.score()));
                for (double v : xywh) {
                    b.append(' ').append(number(v));
                }
            }
            rows.add(List.of(id, b.toString()));
        });
        CsvFile.write(file, COLUMNS, rows);
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).toPlainString();
    }

    /**
     * Reads a submission. Rows with a wrong number of fields, an empty patientId, a malformed
     * PredictionString (not groups of 5, a number that is not finite, a negative size) and
     * repeated patients are left out and listed in {@link #problems()}; the caller decides.
     */
    public static Submission read(Path file) throws IOException {
        CsvFile csv = CsvFile.read(file, COLUMNS);
        Map<String, List<Detection>> predictions = new LinkedHashMap<>();
        Map<String, Long> lineOf = new HashMap<>();
        List<DataProblem> problems = new ArrayList<>();
        Set<String> mentioned = new HashSet<>();
        for (CsvFile.Row row : csv.rows()) {
            String id = csv.get(row, "patientId");
            if (!id.isEmpty()) {
                mentioned.add(id);
            }
            try {
                String width = csv.widthProblem(row);
                if (width != null) {
                    throw new IllegalArgumentException(width);
                }
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("empty patientId");
                }
                List<Detection> dets = parse(csv.get(row, "PredictionString"));
                Long earlier = lineOf.putIfAbsent(id, row.line());
                if (earlier != null) {
                    throw new IllegalArgumentException("duplicate patientId " + id + " (first on line " + earlier + ")");
                }
                predictions.put(id, dets);
            } catch (IllegalArgumentException e) {
                problems.add(csv.problem(row, e.getMessage()));
            }
        }
        Set<String> dropped = new HashSet<>(mentioned);
        dropped.removeAll(predictions.keySet());
        return new Submission(Collections.unmodifiableMap(predictions), List.copyOf(problems), Set.copyOf(dropped));
    }

    /** Parses one PredictionString. */
    public static List<Detection> parse(String predictionString) {
        String s = predictionString.strip();
        if (s.isEmpty()) {
            return List.of();
        }
        String[] t = s.split("\\s+");
        if (t.length % 5 != 0) {
            throw new IllegalArgumentException(t.length + " numbers in the PredictionString, not groups of 5"
                    + " (confidence x y width height)");
        }
        List<Detection> out = new ArrayList<>(t.length / 5);
        for (int i = 0; i < t.length; i += 5) {
            int group = i / 5 + 1;
            double c = RsnaLabels.finite(t[i], "confidence of box " + group);
            double x = RsnaLabels.finite(t[i + 1], "x of box " + group);
            double y = RsnaLabels.finite(t[i + 2], "y of box " + group);
            double w = RsnaLabels.finite(t[i + 3], "width of box " + group);
            double h = RsnaLabels.finite(t[i + 4], "height of box " + group);
            if (w < 0 || h < 0) {
                throw new IllegalArgumentException("box " + group + " has negative size " + w + " x " + h);
            }
            out.add(new Detection(Box.fromXywh(x, y, w, h), c));
        }
        return List.copyOf(out);
    }
}
