package org.pneumolab.data;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Named parts (train, val, test, ...) of a data set. Made only through {@link #of}, which runs
 * the leakage check, so holding a Split means no patient is in two parts.
 */
public final class Split<T> {
    private final Map<String, List<T>> parts;

    private Split(Map<String, List<T>> parts) {
        this.parts = parts;
    }

    /** Checks that no patient is in two parts (else {@link PatientLeakageException}) and wraps them. */
    public static <T> Split<T> of(Map<String, List<T>> parts, Function<T, String> patient) {
        Map<String, List<String>> seenIn = new TreeMap<>();
        for (Map.Entry<String, List<T>> e : parts.entrySet()) {
            for (T item : e.getValue()) {
                List<String> where = seenIn.computeIfAbsent(patient.apply(item), k -> new ArrayList<>());
                if (!where.contains(e.getKey())) {
                    where.add(e.getKey());
                }
            }
        }
        Map<String, List<String>> leaked = new TreeMap<>();
        seenIn.forEach((p, where) -> {
            if (where.size() > 1) {
                leaked.put(p, where);
            }
        });
        if (!leaked.isEmpty()) {
            throw new PatientLeakageException(leaked);
        }
        Map<String, List<T>> copy = new LinkedHashMap<>();
        parts.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Split<>(Collections.unmodifiableMap(copy));
    }

    public List<T> get(String name) {
        List<T> p = parts.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no split named '" + name + "'; have " + parts.keySet());
        }
        return p;
    }

    public List<String> names() {
        return List.copyOf(parts.keySet());
    }

    public Map<String, List<T>> parts() {
        return parts;
    }

    /** Per part: items, patients and positives (label 1), to show what each reported metric was computed on. */
    public Table summary(Function<T, String> patient, ToIntFunction<T> label) {
        StringColumn name = StringColumn.create("split");
        IntColumn items = IntColumn.create("images");
        IntColumn patients = IntColumn.create("patients");
        IntColumn positives = IntColumn.create("positive");
        parts.forEach((k, v) -> {
            name.append(k);
            items.append(v.size());
            patients.append((int) v.stream().map(patient).distinct().count());
            positives.append((int) v.stream().filter(t -> label.applyAsInt(t) == 1).count());
        });
        return Table.create("splits", name, items, patients, positives);
    }
}
