package org.pneumolab.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The RSNA plan (no rendering): class mix, view skew, demographics, identifiers, box counts. */
class RsnaLayoutPlanTest {

    @Test
    void classMixAndViewSkewFollowRsna() {
        List<RsnaPatient> train = RsnaLayout.plan(SampleSpec.defaults().withRsna(3000)).stream()
                .filter(p -> !p.test()).toList();
        assertEquals(3000, train.size());
        assertEquals(0.225, share(train, RsnaClass.LUNG_OPACITY), 0.01);
        assertEquals(0.44, share(train, RsnaClass.NOT_NORMAL), 0.01);
        assertEquals(0.335, share(train, RsnaClass.NORMAL), 0.01);
        double opacityGivenAp = opacityRate(train, "AP");
        double opacityGivenPa = opacityRate(train, "PA");
        // RSNA: about 30% of AP films and 15% of PA films show opacities
        assertEquals(0.31, opacityGivenAp, 0.04);
        assertEquals(0.155, opacityGivenPa, 0.04);
        assertTrue(opacityGivenAp > opacityGivenPa + 0.1);
    }

    @Test
    void defaultSampleKeepsTheMixAndDemographics() {
        List<RsnaPatient> all = RsnaLayout.plan(SampleSpec.defaults());
        List<RsnaPatient> train = all.stream().filter(p -> !p.test()).toList();
        List<RsnaPatient> test = all.stream().filter(RsnaPatient::test).toList();
        assertEquals(SampleSpec.defaults().rsnaTrain(), train.size());
        assertEquals(SampleSpec.defaults().rsnaTest(), test.size());
        assertEquals(0.225, share(train, RsnaClass.LUNG_OPACITY), 0.01);
        assertEquals(0.225, share(test, RsnaClass.LUNG_OPACITY), 0.02);
        assertTrue(opacityRate(train, "AP") > opacityRate(train, "PA"));
        Set<String> ids = new HashSet<>();
        for (RsnaPatient p : all) {
            assertTrue(p.patientId().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), p.patientId());
            assertTrue(ids.add(p.patientId()), "duplicate id " + p.patientId());
            assertTrue(p.age() >= 1 && p.age() <= 90, "age " + p.age());
        }
        assertTrue(all.stream().anyMatch(p -> p.sex().equals("M")) && all.stream().anyMatch(p -> p.sex().equals("F")));
        assertTrue(all.stream().mapToInt(RsnaPatient::age).max().getAsInt() >= 80);
        assertTrue(all.stream().mapToInt(RsnaPatient::age).min().getAsInt() <= 20);
    }

    @Test
    void planIsDeterministicInTheSeed() {
        assertEquals(RsnaLayout.plan(SampleSpec.defaults()), RsnaLayout.plan(SampleSpec.defaults()));
        assertNotEquals(RsnaLayout.plan(SampleSpec.defaults()), RsnaLayout.plan(SampleSpec.defaults().withSeed(1)));
    }

    @Test
    void boxCountsFollowRsna() {
        Random r = new Random(3);
        int[] counts = new int[5];
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            counts[FindingSampler.rsnaBoxCount(r)]++;
        }
        // RSNA stage 2: 2614 / 3266 / 119 / 13 patients with 1 / 2 / 3 / 4 boxes
        assertEquals(0, counts[0]);
        assertEquals(2614.0 / 6012, counts[1] / (double) n, 0.01);
        assertEquals(3266.0 / 6012, counts[2] / (double) n, 0.01);
        assertEquals(119.0 / 6012, counts[3] / (double) n, 0.003);
        assertEquals(13.0 / 6012, counts[4] / (double) n, 0.001);
    }

    private static double share(List<RsnaPatient> ps, RsnaClass c) {
        return ps.stream().filter(p -> p.rsnaClass() == c).count() / (double) ps.size();
    }

    private static double opacityRate(List<RsnaPatient> ps, String view) {
        List<RsnaPatient> v = ps.stream().filter(p -> p.viewPosition().equals(view)).toList();
        return v.stream().filter(p -> p.rsnaClass() == RsnaClass.LUNG_OPACITY).count() / (double) v.size();
    }
}
