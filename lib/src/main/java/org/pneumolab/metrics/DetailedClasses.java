package org.pneumolab.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stage_2_detailed_class_info.csv} ({@code patientId,class}): "Lung Opacity",
 * "No Lung Opacity / Not Normal" or "Normal" per image. The real file repeats a patient once per
 * box; repeats that agree are fine, a conflicting one is reported and skipped.
 *
 * @param classes  detailed class per patient
 * @param problems malformed or conflicting lines, as "file:line: problem", which were skipped
 */
public record DetailedClasses(Map<String, String> classes, List<String> problems) {
    public static final String HEADER = "patientId,class";

    public static DetailedClasses read(Path file) throws IOException {
        Map<String, String> classes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        CsvLines.read(file, HEADER, (line, text) -> {
            int comma = text.indexOf(',');
            String id = comma < 0 ? "" : text.substring(0, comma).strip();
            String cls = comma < 0 ? "" : text.substring(comma + 1).strip();
            if (id.isEmpty() || cls.isEmpty()) {
                problems.add(CsvLines.problem(file, line, "expected patientId,class, found '" + text + "'"));
                return;
            }
            String previous = classes.putIfAbsent(id, cls);
            if (previous != null && !previous.equals(cls)) {
                problems.add(CsvLines.problem(file, line, id + " is '" + cls + "' here but '" + previous + "' earlier"));
            }
        });
        return new DetailedClasses(Collections.unmodifiableMap(classes), List.copyOf(problems));
    }
}
