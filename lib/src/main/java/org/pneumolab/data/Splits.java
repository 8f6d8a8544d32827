package org.pneumolab.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Patient-level, stratified, seeded splits. All of a patient's images go to one part; patients
 * are grouped by stratum (the largest stratum among their images, e.g. "has pneumonia"), each
 * stratum's patients are shuffled with the seed and cut by the fractions, so every part has
 * about the same share of each stratum. Same items and seed give the same split.
 */
public final class Splits {
    private Splits() {
    }

    /**
     * @param fractions part name to fraction of patients, in output order (normalised to sum 1)
     */
    public static <T> Split<T> byPatient(List<T> items, Function<T, String> patient, ToIntFunction<T> stratum,
                                         Map<String, Double> fractions, long seed) {
        if (fractions.isEmpty()) {
            throw new IllegalArgumentException("no split fractions given");
        }
        double total = 0;
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            if (!(e.getValue() >= 0)) {
                throw new IllegalArgumentException("fraction for '" + e.getKey() + "' must be >= 0, got " + e.getValue());
            }
            total += e.getValue();
        }
        if (total <= 0) {
            throw new IllegalArgumentException("split fractions sum to 0: " + fractions);
        }
        List<String> names = new ArrayList<>(fractions.keySet());
        double[] frac = new double[names.size()];
        for (int i = 0; i < frac.length; i++) {
            frac[i] = fractions.get(names.get(i)) / total;
        }

        // Sorted maps: the result must not depend on the input's iteration order or hashing.
        Map<String, List<T>> byPatient = new TreeMap<>();
        Map<String, Integer> patientStratum = new TreeMap<>();
        for (T item : items) {
            String p = patient.apply(item);
            byPatient.computeIfAbsent(p, k -> new ArrayList<>()).add(item);
            patientStratum.merge(p, stratum.applyAsInt(item), Math::max);
        }
        Map<Integer, List<String>> strata = new TreeMap<>();
        patientStratum.forEach((p, s) -> strata.computeIfAbsent(s, k -> new ArrayList<>()).add(p));

        Map<String, List<T>> parts = new LinkedHashMap<>();
        names.forEach(n -> parts.put(n, new ArrayList<>()));
        Random rnd = new Random(seed);
        for (List<String> patients : strata.values()) {
            java.util.Collections.shuffle(patients, rnd);
            int[] counts = allocate(patients.size(), frac);
            int at = 0;
            for (int part = 0; part < counts.length; part++) {
                for (int k = 0; k < counts[part]; k++) {
                    parts.get(names.get(part)).addAll(byPatient.get(patients.get(at++)));
                }
            }
        }
        return Split.of(parts, patient);
    }

    /** Largest-remainder rounding of {@code n * frac[i]}, so the counts add up to {@code n}. */
    static int[] allocate(int n, double[] frac) {
        int[] counts = new int[frac.length];
        double[] rest = new double[frac.length];
        int used = 0;
        for (int i = 0; i < frac.length; i++) {
            double exact = n * frac[i];
            counts[i] = (int) Math.floor(exact);
            rest[i] = exact - counts[i];
            used += counts[i];
        }
        while (used < n) {
            int best = 0;
            for (int i = 1; i < frac.length; i++) {
                if (rest[i] > rest[best]) {
                    best = i;
                }
            }
            counts[best]++;
            rest[best] = -1;
            used++;
        }
        return counts;
    }

    /** {@code train} and {@code val} with {@code valFraction} of the patients in val. */
    public static <T> Split<T> trainVal(List<T> items, Function<T, String> patient, ToIntFunction<T> stratum,
                                        double valFraction, long seed) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("train", 1 - valFraction);
        f.put("val", valFraction);
        return byPatient(items, patient, stratum, f, seed);
    }
}
