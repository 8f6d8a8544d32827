package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The bench's guard, fed synthetic samples (no real timing is asserted): a peer slowed in the
 * bench (as the 30 Nov run's were) or a row with a wide spread is run again and then printed as
 * "unreliable", never as a ratio or a target verdict; a steady row passes untouched.
 */
class ReliabilityTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** A contestant returning the given rates in turn (cycling), with an optional standalone twin. */
    private static Contestant scripted(String label, boolean ours, List<Double> rates, List<Double> twin, List<Integer> twinCalls) {
        Iterator<Double>[] it = new Iterator[] {rates.iterator()};
        Contestant.Measure m = () -> {
            if (!it[0].hasNext()) {
                it[0] = rates.iterator();
            }
            return it[0].next();
        };
        return new Contestant(label, ours, m, twin == null ? null : plan -> {
            twinCalls.add(plan.reps());
            return twin.subList(0, plan.reps());
        });
    }

    private static Harness.Outcome outcome(String label, boolean twin, Stats in, Stats alone) {
        Contestant k = new Contestant(label, !twin, () -> 1, twin ? plan -> List.of() : null);
        return new Harness.Outcome(k, in, null, alone, alone == null && twin ? "failed" : null, null);
    }

    @Test
    void syntheticSamplesTripTheGuardOnlyWhenDisturbed() {
        Stats steady = Stats.of(List.of(10.0, 10.5, 11.0));
        assertNull(Reliability.problem(List.of(outcome("ours", false, steady, null),
                outcome("peer", true, steady, Stats.of(List.of(10.2, 10.4, 10.9))))));
        // the 30 Nov pattern: the peer 3x slower in the bench than alone
        String slowed = Reliability.problem(List.of(outcome("peer", true, Stats.of(List.of(3.0, 3.3, 3.1)),
                Stats.of(List.of(9.5, 10.0, 9.8)))));
        assertNotNull(slowed);
        assertTrue(slowed.contains("standalone"), slowed);
        // 16% apart trips it, 14% does not (in either direction)
        assertNotNull(Reliability.problem(List.of(outcome("peer", true, Stats.of(List.of(11.6)), Stats.of(List.of(10.0))))));
        assertNull(Reliability.problem(List.of(outcome("peer", true, Stats.of(List.of(10.0)), Stats.of(List.of(11.4))))));
        // a spread over 20% on any side, ours included
        String wide = Reliability.problem(List.of(outcome("ours", false, Stats.of(List.of(10.0, 12.5, 11.0)), null)));
        assertNotNull(wide);
        assertTrue(wide.contains("spread"), wide);
        // a peer whose twin could not be timed cannot be vouched for
        assertNotNull(Reliability.problem(List.of(outcome("peer", true, steady, null))));
        assertEquals(0.25, Reliability.gap(8, 10), 1e-12);
        assertEquals(0.25, Reliability.gap(10, 8), 1e-12);
    }

    @Test
    void aPeerSlowedInTheBenchIsRerunThenMarkedUnreliable() {
        List<Integer> twinCalls = new ArrayList<>();
        Contestant ours = scripted("ours", true, List.of(20.0), null, twinCalls);
        // in the bench the peer runs at a third of its standalone speed, as if something busy ran beside it
        Contestant peer = scripted("peer", false, List.of(10.0), List.of(30.0, 31.0, 29.5), twinCalls);
        Comparison c = new Comparison("row", "img/s", List.of(ours, peer), null);
        List<Harness.Outcome> out = new Harness(3, true, QUIET).run(c);
        assertEquals(List.of(3, 3), twinCalls, "the twin runs once per attempt, and the row is attempted twice");
        assertTrue(out.stream().allMatch(o -> o.unreliable() != null));
        assertEquals(30.0, out.get(1).standalone().median(), 0);

        MarkdownTable t = new MarkdownTable();
        t.add(c, out);
        assertTrue(t.toString().contains("unreliable: peer in bench 10.0 vs standalone 30.0"), t.toString());
        assertTrue(!t.toString().contains("2.00x") && !t.toString().contains("0.67x"), t.toString());
        String verdict = Target.faster("ours >= 1x", "row", null, 1.0).check(Map.of("row", c), Map.of("row", out));
        assertTrue(verdict.contains("not judged") && verdict.contains("unreliable"), verdict);
    }

    @Test
    void aRowSteadyOnTheSecondAttemptIsPublished() {
        List<Integer> twinCalls = new ArrayList<>();
        // first attempt's samples 10, 20, 10 (spread 100%), then steady
        Contestant ours = scripted("ours", true, List.of(10.0, 10.0, 20.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0), null, twinCalls);
        Contestant peer = scripted("peer", false, List.of(5.0), List.of(5.2, 5.1, 5.0), twinCalls);
        Comparison c = new Comparison("row", "img/s", List.of(ours, peer), null);
        List<Harness.Outcome> out = new Harness(3, true, QUIET).run(c);
        assertEquals(2, twinCalls.size(), "rerun once");
        assertTrue(out.stream().allMatch(o -> o.unreliable() == null));
        MarkdownTable t = new MarkdownTable();
        t.add(c, out);
        assertTrue(t.toString().contains("| row | ours | ours | 10.0 img/s | 10.0 | 10.0 | 0% | 3 |  | 2.00x |"), t.toString());
        assertTrue(t.toString().contains("| 5.10 img/s | 1.00x |"), t.toString());
    }

    @Test
    void aSteadyRowPassesWithoutRerun() {
        List<Integer> twinCalls = new ArrayList<>();
        Contestant ours = scripted("ours", true, List.of(20.0, 21.0), null, twinCalls);
        Contestant peer = scripted("peer", false, List.of(10.0, 10.4), List.of(10.1, 10.3, 9.9), twinCalls);
        Comparison c = new Comparison("row", "img/s", List.of(ours, peer), null);
        List<Harness.Outcome> out = new Harness(3, true, QUIET).run(c);
        assertEquals(List.of(3), twinCalls);
        String verdict = Target.faster("ours >= 1x", "row", null, 1.0).check(Map.of("row", c), Map.of("row", out));
        assertTrue(verdict.contains(": met"), verdict);
    }
}
