package org.pneumolab.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    record Img(String patient, int label, int n) {
    }

    /** 1000 patients, 27 % positive, 1 to 4 images each (like Kermany's several views per child). */
    static List<Img> population() {
        Random r = new Random(99);
        List<Img> out = new ArrayList<>();
        for (int p = 0; p < 1000; p++) {
            int label = r.nextDouble() < 0.27 ? 1 : 0;
            int images = 1 + r.nextInt(4);
            for (int k = 0; k < images; k++) {
                out.add(new Img("p" + p, label, k));
            }
        }
        return out;
    }

    static Map<String, Double> fractions() {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("train", 0.7);
        f.put("val", 0.15);
        f.put("test", 0.15);
        return f;
    }

    static double positivePatientRate(List<Img> part) {
        return part.stream().filter(i -> i.label() == 1).map(Img::patient).distinct().count()
                / (double) part.stream().map(Img::patient).distinct().count();
    }

    @Test
    void stratifiesEveryPartWithinTolerance() {
        List<Img> all = population();
        Split<Img> s = Splits.byPatient(all, Img::patient, Img::label, fractions(), 42);
        double overall = positivePatientRate(all);
        for (String part : s.names()) {
            // Per-stratum rounding moves at most one patient per stratum: well under 1 point here.
            assertEquals(overall, positivePatientRate(s.get(part)), 0.01, part);
        }
        assertEquals(700, s.get("train").stream().map(Img::patient).distinct().count(), 1);
        assertEquals(150, s.get("val").stream().map(Img::patient).distinct().count(), 1);
        assertEquals(all.size(), s.parts().values().stream().mapToInt(List::size).sum());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplitInputOrderIrrelevant() {
        List<Img> all = population();
        Split<Img> a = Splits.byPatient(all, Img::patient, Img::label, fractions(), 42);
        List<Img> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        Split<Img> b = Splits.byPatient(reversed, Img::patient, Img::label, fractions(), 42);
        Split<Img> c = Splits.byPatient(all, Img::patient, Img::label, fractions(), 43);
        for (String part : a.names()) {
            assertEquals(a.get(part).stream().map(Img::patient).distinct().sorted().toList(),
                    b.get(part).stream().map(Img::patient).distinct().sorted().toList());
        }
        assertNotEquals(a.get("val"), c.get("val"));
    }

    @Test
    void leakageCheckNamesThePatientAndTheSplits() {
        List<Img> all = population();
        Split<Img> s = Splits.byPatient(all, Img::patient, Img::label, fractions(), 1);
        Map<String, List<Img>> leaky = new LinkedHashMap<>(s.parts());
        Img stolen = s.get("train").get(0);
        List<Img> test = new ArrayList<>(s.get("test"));
        test.add(new Img(stolen.patient(), stolen.label(), 99));
        leaky.put("test", test);
        PatientLeakageException e = assertThrows(PatientLeakageException.class, () -> Split.of(leaky, Img::patient));
        assertTrue(e.getMessage().contains(stolen.patient() + " in train and test"), e.getMessage());
        assertEquals(List.of("train", "test"), e.leaked().get(stolen.patient()));
        assertEquals(1, e.leaked().size());
    }

    @Test
    void largestRemainderAllocationAddsUp() {
        assertArrayEquals(new int[]{7, 2, 1}, Splits.allocate(10, new double[]{0.7, 0.15, 0.15}));
        assertArrayEquals(new int[]{1, 0}, Splits.allocate(1, new double[]{0.8, 0.2}));
        assertArrayEquals(new int[]{0, 0, 0}, Splits.allocate(0, new double[]{0.3, 0.3, 0.4}));
    }

    @Test
    void rejectsBadFractions() {
        assertThrows(IllegalArgumentException.class,
                () -> Splits.byPatient(population(), Img::patient, Img::label, Map.of("a", -0.1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> Splits.byPatient(population(), Img::patient, Img::label, Map.of(), 1));
    }
}
