package org.pneumolab.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.geom.Box;

/**
 * Ground truth in the {@code stage_2_train_labels.csv} format
 * ({@code patientId,x,y,width,height,Target}; one line per box, one line with empty box fields
 * and Target 0 for an image without opacity). Kept here, self-contained, so scoring needs
 * nothing of the data package.
 *
 * @param boxes    per patient, in file order; an empty list for Target 0
 * @param problems malformed lines, as "file:line: problem", which were skipped
 */
public record RsnaLabels(Map<String, List<Box>> boxes, List<String> problems) {
    public static final String HEADER = "patientId,x,y,width,height,Target";

    public static RsnaLabels read(Path file) throws IOException {
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        CsvLines.read(file, HEADER, (line, text) -> {
            try {
                List<String> f = CsvLines.fields(text, 6);
                String id = f.get(0).strip();
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("empty patientId");
                }
                String target = f.get(5).strip();
                if (target.equals("0")) {
                    if (!(f.get(1).isBlank() && f.get(2).isBlank() && f.get(3).isBlank() && f.get(4).isBlank())) {
                        throw new IllegalArgumentException("Target 0 with a box");
                    }
                    List<Box> previous = boxes.putIfAbsent(id, new ArrayList<>());
                    if (previous != null && !previous.isEmpty()) {
                        throw new IllegalArgumentException("Target 0 for " + id + ", which has boxes on earlier lines");
                    }
                } else if (target.equals("1")) {
                    double w = CsvLines.finite(f.get(3), "width");
                    double h = CsvLines.finite(f.get(4), "height");
                    if (w <= 0 || h <= 0) {
                        throw new IllegalArgumentException("box of size " + w + " x " + h);
                    }
                    Box b = Box.fromXywh(CsvLines.finite(f.get(1), "x"), CsvLines.finite(f.get(2), "y"), w, h);
                    List<Box> list = boxes.computeIfAbsent(id, k -> new ArrayList<>());
                    list.add(b);
                } else {
                    throw new IllegalArgumentException("Target must be 0 or 1, found '" + target + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add(CsvLines.problem(file, line, e.getMessage()));
            }
        });
        Map<String, List<Box>> frozen = new LinkedHashMap<>();
        boxes.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new RsnaLabels(Collections.unmodifiableMap(frozen), List.copyOf(problems));
    }
}
