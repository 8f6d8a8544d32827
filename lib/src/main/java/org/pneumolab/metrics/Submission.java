package org.pneumolab.metrics;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.io.AtomicFiles;

/**
 * A Kaggle submission for the RSNA challenge: {@code patientId,PredictionString}, where the
 * prediction string is groups of {@code confidence x y width height} separated by spaces, and
 * empty for an image without boxes.
 *
 * @param predictions per patient, in file order
 * @param problems    lines the reader skipped, as "file:line: problem" (empty for a written one)
 */
public record Submission(Map<String, List<Detection>> predictions, List<String> problems) {
    public static final String HEADER = "patientId,PredictionString";

    public static Submission of(Map<String, List<Detection>> predictions) {
        Map<String, List<Detection>> copy = new LinkedHashMap<>();
        predictions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Submission(Collections.unmodifiableMap(copy), List.of());
    }

    /** Writes the file atomically; numbers in their shortest exact decimal form. */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(64 * (predictions.size() + 1)).append(HEADER).append('\n');
        predictions.forEach((id, dets) -> {
            b.append(id).append(',');
            for (int i = 0; i < dets.size(); i++) {
                Detection d = dets.get(i);
                double[] xywh = d.box().toXywh();
                b.append(i == 0 ? "" : " ").append(number(d.score()));
                for (double v : xywh) {
                    b.append(' ').append(number(v));
                }
            }
            b.append('\n');
        });
        AtomicFiles.writeString(file, b.toString());
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).toPlainString();
    }

    /** Reads a submission; malformed lines and repeated patients are reported and skipped. */
    public static Submission read(Path file) throws IOException {
        Map<String, List<Detection>> predictions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        CsvLines.read(file, HEADER, (line, text) -> {
            try {
                int comma = text.indexOf(',');
                if (comma < 0) {
                    throw new IllegalArgumentException("no comma between patientId and PredictionString");
                }
                String id = text.substring(0, comma).strip();
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("empty patientId");
                }
                List<Detection> dets = parse(text.substring(comma + 1));
                if (predictions.containsKey(id)) {
                    throw new IllegalArgumentException(id + " already appeared on an earlier line");
                }
                predictions.put(id, dets);
            } catch (IllegalArgumentException e) {
                problems.add(CsvLines.problem(file, line, e.getMessage()));
            }
        });
        return new Submission(Collections.unmodifiableMap(predictions), List.copyOf(problems));
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
            double c = CsvLines.finite(t[i], "confidence of box " + group);
            double x = CsvLines.finite(t[i + 1], "x of box " + group);
            double y = CsvLines.finite(t[i + 2], "y of box " + group);
            double w = CsvLines.finite(t[i + 3], "width of box " + group);
            double h = CsvLines.finite(t[i + 4], "height of box " + group);
            if (w < 0 || h < 0) {
                throw new IllegalArgumentException("box " + group + " has negative size " + w + " x " + h);
            }
            out.add(new Detection(Box.fromXywh(x, y, w, h), c));
        }
        return List.copyOf(out);
    }
}
