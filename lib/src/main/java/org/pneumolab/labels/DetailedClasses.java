package org.pneumolab.labels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pneumolab.io.CsvFile;
import org.pneumolab.io.DataProblem;

/**
 * The one reader of {@code stage_2_detailed_class_info.csv} ({@code patientId,class}, columns by
 * name): one of the three {@link DetailedClass}es per image. The real file repeats a patient once
 * per box; repeats that agree are fine. Rows with an unknown class or a wrong number of fields
 * are left out; a patient given two different classes is left out entirely (neither can be
 * trusted). Each is listed in {@link #problems()} with file, line and reason.
 *
 * @param classes  detailed class per patient, in file order
 * @param problems rows left out, with file, line and reason
 */
public record DetailedClasses(Map<String, DetailedClass> classes, List<DataProblem> problems) {
    public static final List<String> COLUMNS = List.of("patientId", "class");

    public static DetailedClasses read(Path file) throws IOException {
        CsvFile csv = CsvFile.read(file, COLUMNS);
        Map<String, DetailedClass> classes = new LinkedHashMap<>();
        Set<String> conflicting = new HashSet<>();
        List<DataProblem> problems = new ArrayList<>();
        for (CsvFile.Row row : csv.rows()) {
            String problem = csv.widthProblem(row);
            String id = csv.get(row, "patientId");
            String label = csv.get(row, "class");
            if (problem == null && id.isEmpty()) {
                problem = "empty patientId";
            }
            DetailedClass cls = null;
            if (problem == null) {
                cls = DetailedClass.fromLabel(label).orElse(null);
                if (cls == null) {
                    problem = "unknown class '" + label + "'";
                }
            }
            if (problem == null && classes.containsKey(id) && classes.get(id) != cls) {
                problem = "patient " + id + " is '" + classes.get(id).label() + "' earlier and '" + label
                        + "' here; the patient is left out";
                conflicting.add(id);
            }
            if (problem != null) {
                problems.add(csv.problem(row, problem));
                continue;
            }
            classes.putIfAbsent(id, cls);
        }
        conflicting.forEach(classes::remove);
        return new DetailedClasses(Collections.unmodifiableMap(classes), List.copyOf(problems));
    }

    /** Class labels as Kaggle spells them, per patient (what the metric's false-positive table takes). */
    public Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        classes.forEach((k, v) -> out.put(k, v.label()));
        return Collections.unmodifiableMap(out);
    }
}
