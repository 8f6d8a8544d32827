package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HarnessTest {

    @Test
    void statsTakeTheMedianAndSpread() {
        Stats s = Stats.of(List.of(10.0, 30.0, 20.0, 12.0));
        assertEquals(16.0, s.median(), 1e-12);
        assertEquals(10.0, s.min(), 0);
        assertEquals(30.0, s.max(), 0);
        assertEquals(125.0, s.spreadPercent(), 1e-9);
        assertEquals(20.0, Stats.of(List.of(20.0, 10.0, 30.0)).median(), 0);
    }

    @Test
    void interleavesWithRotatingOrderAndReportsSkips() {
        List<String> calls = new ArrayList<>();
        Contestant a = new Contestant("a", true, () -> { calls.add("a"); return 1; });
        Contestant b = new Contestant("b", false, () -> { calls.add("b"); return 2; });
        Contestant c = new Contestant("c", false, () -> { throw new Contestant.Skipped("no torch"); });
        Harness h = new Harness(3, true, new PrintStream(new ByteArrayOutputStream()));
        List<Harness.Outcome> out = h.run(new Comparison("t", "x/s", List.of(a, b, c), null));
        // warm-up a, b (c skipped at warm-up), then rounds a b | b a | a b
        assertEquals(List.of("a", "b", "a", "b", "b", "a", "a", "b"), calls);
        assertEquals(3, out.get(0).stats().n());
        assertEquals(2.0, out.get(1).stats().median(), 0);
        assertNull(out.get(2).stats());
        assertTrue(out.get(2).problem().contains("no torch"));

        MarkdownTable t = new MarkdownTable();
        t.add(new Comparison("t", "x/s", List.of(a, b, c), null), out);
        assertTrue(t.toString().contains("| t | ours | a | 1.00 x/s | 1.00 | 1.00 | 0% | 3 |  | 0.50x |"), t.toString());
        assertTrue(t.toString().contains("skipped: no torch"));
    }

    @Test
    void callsPerSampleFillTheMinimumWithinTheCap() {
        assertEquals(1, Harness.callsPerSample(0, 10, 0.05, 0.2), "no minimum: one call");
        assertEquals(1, Harness.callsPerSample(1.0, 10, 1.5, 3.0), "calls already long enough");
        assertEquals(20, Harness.callsPerSample(1.0, 10, 0.05, 0.2));
        assertEquals(5, Harness.callsPerSample(1.0, 10, 0.01, 2.0), "the slowest's sample kept within 10 s");
        assertEquals(1, Harness.callsPerSample(1.0, 10, 0.01, 30.0), "at least one call");
    }

    /** A contestant that takes {@code seconds} of the fake clock per call and returns the rates in turn. */
    private static Contestant timed(String label, boolean ours, long[] clock, double seconds, List<Double> rates,
                                    List<String> calls, List<SamplePlan> twinPlans) {
        int[] i = {0};
        return new Contestant(label, ours, () -> {
            clock[0] += (long) (seconds * 1e9);
            calls.add(label);
            return rates.get(i[0]++ % rates.size());
        }, twinPlans == null ? null : plan -> {
            twinPlans.add(plan);
            return java.util.Collections.nCopies(plan.reps(), rates.get(0));
        });
    }

    @Test
    void shortCallsAreSampledInBlocksTheSameOnEverySide() {
        long[] clock = {0};
        List<String> calls = new ArrayList<>();
        List<SamplePlan> twin = new ArrayList<>();
        // ours alternates 10 and 30 items/s per call (a 200% spread call by call), the peer is steady
        Contestant ours = timed("ours", true, clock, 0.1, List.of(10.0, 30.0), calls, null);
        Contestant peer = timed("peer", false, clock, 0.25, List.of(20.0), calls, twin);
        Comparison c = new Comparison("row", "x/s", List.of(ours, peer), null);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

        List<Harness.Outcome> out = new Harness(3, true, true, null, 1.0, quiet, () -> clock[0], null).run(c);
        // warm-up and calibration (both calls under 1 s), then ceil(1 s / 0.1 s) = 10 calls per sample on
        // both sides, after one untimed round of a sample's length (no JIT clock: one such round)
        assertEquals(2 + 10 + 3 * 10, calls.stream().filter("ours"::equals).count());
        assertEquals(2 + 10 + 3 * 10, calls.stream().filter("peer"::equals).count());
        assertEquals(List.of(new SamplePlan(12, 3, 10)), twin, "the twin sampled as the row was, once (the row passed)");
        // 10 calls of 10 and 30 items/s: 10 items-worth over 0.5 + 0.1667 s = 15/s, every sample
        assertEquals(15.0, out.get(0).stats().median(), 1e-9);
        assertEquals(0.0, out.get(0).stats().spreadPercent(), 1e-9);
        assertNull(out.get(0).unreliable());
        MarkdownTable t = new MarkdownTable();
        t.add(c, out);
        assertTrue(t.toString().contains("| 0% | 3 x 10 |"), t.toString());

        // the same contestants one call per sample: the guard rejects the row twice
        List<Harness.Outcome> single = new Harness(3, true, true, null, 0, quiet, () -> clock[0], null).run(c);
        assertNotNull(single.get(0).unreliable());
        assertEquals(1, single.get(0).callsPerSample());
    }

    @Test
    void aLongWarmUpNeedsNoCalibration() {
        long[] clock = {0};
        List<String> calls = new ArrayList<>();
        Contestant ours = timed("ours", true, clock, 2.0, List.of(1.0), calls, null);
        Contestant peer = timed("peer", false, clock, 1.5, List.of(1.0), calls, null);
        Comparison c = new Comparison("row", "x/s", List.of(ours, peer), null);
        List<Harness.Outcome> out = new Harness(3, true, true, null, 1.0, new PrintStream(new ByteArrayOutputStream()),
                () -> clock[0], null).run(c);
        assertEquals(8, calls.size(), "1 warm-up and 3 one-call samples each");
        assertEquals(new SamplePlan(1, 3, 1), out.get(1).plan());
    }

    @Test
    void theWarmUpWaitsForTheJitToGoQuiet() {
        long[] clock = {0};
        long[] jit = {0};
        List<String> calls = new ArrayList<>();
        Contestant peer = timed("peer", false, clock, 1.5, List.of(1.0), calls, null);
        // our first four calls each keep the JIT compiling for 0.5 s (a fifth of a 2.5 s round), then none
        Contestant ours = new Contestant("ours", true, () -> {
            clock[0] += 1_000_000_000L;
            calls.add("ours");
            if (calls.stream().filter("ours"::equals).count() <= 4) {
                jit[0] += 500;
            }
            return 1;
        });
        Comparison c = new Comparison("row", "x/s", List.of(ours, peer), null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Harness.Outcome> out = new Harness(3, true, true, null, 1.0, new PrintStream(log), () -> clock[0],
                () -> jit[0]).run(c);
        // the warm-up round and 3 more compiled; the 4th more saw no JIT: 5 untimed calls each, then 3 samples
        assertEquals(new SamplePlan(5, 3, 1), out.get(0).plan());
        assertEquals(2 * (5 + 3), calls.size(), "no calibration call: the last JIT round served as one");
        assertTrue(log.toString().contains("4 more warm-up round(s)") && log.toString().contains("until the JIT was quiet"),
                log.toString());

        // a JIT that never goes quiet: the wait stops at its cap, and says so
        calls.clear();
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        Contestant busy = new Contestant("busy", true, () -> {
            clock[0] += 1_000_000_000L;
            jit[0] += 500;
            return 1;
        });
        List<Harness.Outcome> capped = new Harness(3, true, true, null, 1.0, new PrintStream(log2), () -> clock[0],
                () -> jit[0]).run(new Comparison("row", "x/s", List.of(busy), null));
        assertEquals(1 + Harness.MAX_JIT_ROUNDS, capped.get(0).plan().warmUps());
        assertTrue(log2.toString().contains("JIT still compiling at the cap"), log2.toString());

        // without a JIT clock (the smoke run) one warm-up call, as before
        List<Harness.Outcome> plain = new Harness(3, true, true, null, 1.0, new PrintStream(new ByteArrayOutputStream()),
                () -> clock[0], null).run(new Comparison("row", "x/s", List.of(busy), null));
        assertEquals(1, plain.get(0).plan().warmUps());
    }

    @Test
    void shortCallsWarmUpAtASamplesLengthUntilTheJitIsQuiet() {
        long[] clock = {0};
        long[] jit = {0};
        List<String> calls = new ArrayList<>();
        // 0.1 s calls; the JIT compiles 100 ms during each of ours' calls 2-25 (the single-call
        // rounds look busy, then the first two rounds of a sample's length do), none after
        Contestant ours = new Contestant("ours", true, () -> {
            clock[0] += 100_000_000L;
            calls.add("ours");
            long n = calls.stream().filter("ours"::equals).count();
            if (n >= 2 && n <= 25) {
                jit[0] += 100;
            }
            return 10;
        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Harness.Outcome> out = new Harness(3, true, true, null, 1.0, new PrintStream(log), () -> clock[0],
                () -> jit[0]).run(new Comparison("row", "x/s", List.of(ours), null));
        SamplePlan plan = out.get(0).plan();
        assertEquals(10, plan.callsPerSample());
        // single-call rounds: the warm-up (quiet: call 1), then none (the first round saw no JIT), and
        // the calibration call (2); sample-length rounds: calls 3-12 and 13-22 busy, 23-32 busy (23-25
        // are 30% of it), 33-42 quiet: 4 rounds
        assertEquals(2 + 4 * 10, plan.warmUps(), log.toString());
        assertEquals(plan.totalCalls(), calls.size());
        assertTrue(log.toString().contains("4 warm-up round(s) of a sample's length"), log.toString());
    }

    @Test
    void aDetachedRowKeepsWhatTheTargetsReadAndNoWork() {
        long[] clock = {0};
        List<String> calls = new ArrayList<>();
        Contestant ours = timed("ours", true, clock, 2.0, List.of(1.0), calls, null);
        Contestant peer = timed("peer", false, clock, 1.0, List.of(2.0), calls, new ArrayList<>());
        Comparison c = new Comparison("row", "x/s", List.of(ours, peer), null).whenDone(() -> calls.add("done"));
        List<Harness.Outcome> out = new Harness(3, true, true, null, 1.0, new PrintStream(new ByteArrayOutputStream()),
                () -> clock[0], null).run(c);
        Comparison kept = c.detached();
        assertNull(kept.done(), "nothing left to do, and no closure (a detector's releaseCaches holds the model)");
        List<Harness.Outcome> keptOut = List.of(out.get(0).on(kept.contestants().get(0)), out.get(1).on(kept.contestants().get(1)));
        assertEquals(List.of("ours", "peer"), kept.contestants().stream().map(Contestant::label).toList());
        assertEquals(List.of(true, false), kept.contestants().stream().map(Contestant::ours).toList());
        assertNull(kept.contestants().get(1).standalone(), "no twin (its closure holds the peer's command)");
        assertThrows(IllegalStateException.class, () -> kept.contestants().get(0).measure().itemsPerSecond());
        Target t = Target.faster("ours >= peer", "row", null, 1.0);
        assertEquals(t.check(java.util.Map.of("row", c), java.util.Map.of("row", out)),
                t.check(java.util.Map.of("row", kept), java.util.Map.of("row", keptOut)));
        assertTrue(t.check(java.util.Map.of("row", kept), java.util.Map.of("row", keptOut)).contains("missed, ours at 0.50x peer"));
        assertEquals(out.get(1).standalone(), keptOut.get(1).standalone(), "the twin's figures stay");
    }

    @Test
    void aDetachedContestantLetsItsWorkGo() throws InterruptedException {
        List<java.lang.ref.WeakReference<Object>> ref = new ArrayList<>();
        Contestant kept = detachedFromWork(ref);
        for (int i = 0; i < 20 && ref.get(0).get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get(0).get() == null, "the detached contestant still reaches the work's closure");
        assertEquals("ours", kept.label());
    }

    /** A contestant whose work holds a "model", detached; only {@code ref} still sees the model, weakly. */
    private static Contestant detachedFromWork(List<java.lang.ref.WeakReference<Object>> ref) {
        byte[] model = new byte[1 << 20]; // what a detector row's closure holds
        ref.add(new java.lang.ref.WeakReference<>(model));
        return new Contestant("ours", true, () -> model.length, null).detached();
    }

    @Test
    void aDetectorTwinTrainsAsManyStepsAsTheRowBeganWith() {
        // the long-lived peer built its model with 12 steps, and the row made 2 + 3 x 4 calls of 1 step
        SamplePlan plan = new SamplePlan(2, 3, 4);
        assertEquals(12, DetectorWork.twinSettleForTraining(12 + 14, plan, 1));
        assertEquals(12, DetectorWork.twinSettleForTraining(12 + 28, plan, 2));
        assertEquals(26, DetectorWork.twinSettleForTraining(12 + 14 + 14, plan, 1), "a rerun starts where the first attempt ended");
    }
}
