package org.pneumolab.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.notebook.ProgressBar;

/**
 * Runs each comparison's contestants interleaved: one warm-up call each (discarded: JIT, oneDNN
 * primitive creation, PyTorch allocator), then {@code reps} rounds in which every contestant gives
 * one sample, the order rotating each round so slow drifts in machine load (other builds on a
 * shared box) fall on all sides alike.
 *
 * <p>A sample is {@link SamplePlan#callsPerSample} consecutive calls, the same number for every
 * contestant of the row, chosen so the fastest contestant's sample lasts at least
 * {@code minSampleSeconds} (and the slowest's at most {@link #MAX_SAMPLE_SECONDS} unless one call
 * is longer). Single calls of 10-200 ms spread by 22-328% between rounds in the three quiet runs
 * of 7 Dec 2026 (a scheduler tick, a GC, one slow step is a large share of such a call), so those
 * rows could never pass the guard. When the warm-up says some call is shorter than the minimum,
 * one more untimed call each (calibration: the warm-up carries JIT and first-allocation cost)
 * sets the count.
 *
 * <p>With a JIT clock (every full run), the warm-up goes on, a round of one untimed call per
 * contestant at a time, while Java's JIT compilers worked for more than
 * {@link #JIT_QUIET_FRACTION} of the last round's wall time, for at most
 * {@link #MAX_JIT_ROUNDS} rounds or {@link #MAX_JIT_WARMUP_SECONDS}. Why: on a 2-core machine
 * the C2 compiler thread takes one core from the two native compute threads; the paper
 * RetinaNet's training steps 2-16 took 1.07-2.5 s while C2 compiled SameDiff's code (17% of the
 * process's CPU), and 0.97-1.3 s from step 17 on (docs/PERF.md). A user's training run is
 * thousands of steps, all but the first few in the settled state. The last such round also
 * serves as the calibration call.
 *
 * <p>With the guard on (every full run), each peer that has a standalone twin is then timed again
 * in a fresh process of its own, started after the rounds, when our side's work is done and its
 * native threads idle; a row that {@link Reliability} rejects (spread, or in-bench vs standalone
 * gap) is run again once, and if it is rejected again its outcomes carry the reason, which the
 * table prints instead of a ratio and which {@link Target} refuses to judge.
 */
public final class Harness {
    /** No contestant's sample is stretched beyond this by the row's fastest contestant. */
    static final double MAX_SAMPLE_SECONDS = 10;
    /** The JIT counts as quiet when it compiled for less than this share of a warm-up round's wall time. */
    static final double JIT_QUIET_FRACTION = 0.05;
    /** At most this many warm-up rounds wait for the JIT (beyond the first). */
    static final int MAX_JIT_ROUNDS = 20;
    /** ... and no more than this long in all. */
    static final double MAX_JIT_WARMUP_SECONDS = 90;
    /** {@code -Dpneumo.bench.trace=true}: every call's rate in the log, to see what a wide spread is made of. */
    private static final boolean TRACE = Boolean.getBoolean("pneumo.bench.trace");

    private final int reps;
    private final boolean warmUp;
    private final boolean guard;
    private final String peerUnfit;
    private final PrintStream log;
    private final double minSampleSeconds;
    private final java.util.function.LongSupplier clock;
    private final java.util.function.LongSupplier jitMillis;
    /** Read between samples of a guarded run (null otherwise): whether the host kept its speed. */
    private final HostProbe probe;
    /** The current row's probe readings, over both its runs. */
    private final List<Long> rowProbe = new ArrayList<>();

    /**
     * One warm-up call, one call per sample, no waiting for the JIT; {@code warmUp} false only for
     * smoke runs, where the numbers are not read (and so not guarded).
     */
    public Harness(int reps, boolean warmUp, PrintStream log) {
        this(reps, warmUp, warmUp, null, 0, log, System::nanoTime, null);
    }

    /**
     * @param peerUnfit why no peer figure of this run can be published whatever its rounds show
     *                  (the peer's BLAS, {@link PeerBlas}), or null; applied by the guard only
     * @param minSampleSeconds the shortest sample of a row's fastest contestant (0: one call per sample)
     */
    public Harness(int reps, boolean warmUp, boolean guard, String peerUnfit, double minSampleSeconds, PrintStream log) {
        this(reps, warmUp, guard, peerUnfit, minSampleSeconds, log, System::nanoTime, guard ? jitClock() : null,
                guard ? HostProbe.start(Runtime.getRuntime().availableProcessors()) : null);
    }

    /**
     * With the clock the sample plan is made from, and the JIT's accumulated compile time in ms
     * (null: no waiting for the JIT); tests pass fake ones.
     */
    Harness(int reps, boolean warmUp, boolean guard, String peerUnfit, double minSampleSeconds, PrintStream log,
            java.util.function.LongSupplier clock, java.util.function.LongSupplier jitMillis) {
        this(reps, warmUp, guard, peerUnfit, minSampleSeconds, log, clock, jitMillis, null);
    }

    /** As above, with the host probe read between samples (null: none). */
    Harness(int reps, boolean warmUp, boolean guard, String peerUnfit, double minSampleSeconds, PrintStream log,
            java.util.function.LongSupplier clock, java.util.function.LongSupplier jitMillis, HostProbe probe) {
        this.reps = reps;
        this.warmUp = warmUp;
        this.guard = guard;
        this.peerUnfit = peerUnfit;
        this.minSampleSeconds = minSampleSeconds;
        this.log = log;
        this.clock = clock;
        this.jitMillis = jitMillis;
        this.probe = probe;
    }

    /** The run's host probe readings in words (null when unguarded or before any row). */
    public String hostSummary() {
        return probe == null ? null : probe.summary();
    }

    /** This JVM's accumulated JIT compile time (ms), or null where the JVM does not report it. */
    static java.util.function.LongSupplier jitClock() {
        var bean = java.lang.management.ManagementFactory.getCompilationMXBean();
        return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean::getTotalCompilationTime : null;
    }

    /**
     * Calls per sample: enough for the fastest call to fill {@code minSeconds}, but no more than
     * lets the slowest call's sample stay within {@code maxSeconds} (at least 1).
     */
    static int callsPerSample(double minSeconds, double maxSeconds, double fastestCall, double slowestCall) {
        if (minSeconds <= 0 || fastestCall >= minSeconds) {
            return 1;
        }
        long want = fastestCall <= 0 ? Long.MAX_VALUE : (long) Math.ceil(minSeconds / fastestCall);
        long cap = slowestCall <= 0 ? 10_000 : Math.max(1, (long) Math.floor(maxSeconds / slowestCall));
        return (int) Math.max(1, Math.min(Math.min(want, cap), 10_000));
    }

    /**
     * A contestant's outcome: statistics in the comparison's unit, or why it was skipped or failed;
     * the standalone twin's statistics (or why there are none); and, for every outcome of a row the
     * guard rejected twice, why ({@code unreliable}, null otherwise).
     */
    public record Outcome(Contestant contestant, Stats stats, String problem, Stats standalone, String twinProblem,
                          String unreliable, SamplePlan plan) {
        public Outcome(Contestant contestant, Stats stats, String problem) {
            this(contestant, stats, problem, null, null, null, null);
        }

        public Outcome(Contestant contestant, Stats stats, String problem, Stats standalone, String twinProblem,
                       String unreliable) {
            this(contestant, stats, problem, standalone, twinProblem, unreliable, null);
        }

        /** Calls per sample (1 where no plan was made). */
        public int callsPerSample() {
            return plan == null ? 1 : plan.callsPerSample();
        }

        /** The same outcome on {@code k} (the contestant's detached copy, {@link Contestant#detached}). */
        public Outcome on(Contestant k) {
            return new Outcome(k, stats, problem, standalone, twinProblem, unreliable, plan);
        }

        Outcome markedUnreliable(String why) {
            return new Outcome(contestant, stats, problem, standalone, twinProblem, why, plan);
        }
    }

    public List<Outcome> run(Comparison c) {
        rowProbe.clear();
        List<Outcome> out = runOnce(c);
        if (!guard) {
            return out;
        }
        String why = Reliability.problem(out);
        if (why != null) {
            log.println("[bench] " + c.title() + ": " + why + "; running the row again");
            out = runOnce(c);
            why = Reliability.problem(out);
            if (why != null) {
                log.println("[bench] " + c.title() + ": unreliable again (" + why + ")");
            }
        }
        if (probe != null && !rowProbe.isEmpty()) {
            String host = HostProbe.unsteadiness(rowProbe, probe.fastest());
            log.println("[bench] " + c.title() + ": " + (host == null ? "the host kept its speed (host probe within "
                    + HostProbe.UNSTEADY + "x of the run's fastest, " + rowProbe.size() + " readings)" : host));
            if (why != null && host != null) {
                why = why + "; " + host; // the verdict stands; this says whose doing the spread likely was
            }
        }
        // not a reason to run again: no round can make such a peer's figure publishable
        String unfit = Reliability.peerUnfit(out, peerUnfit);
        String all = why == null ? unfit : unfit == null ? why : why + "; " + unfit;
        return all == null ? out : out.stream().map(o -> o.markedUnreliable(all)).toList();
    }

    private List<Outcome> runOnce(Comparison c) {
        if (guard) {
            System.gc(); // the previous row's arrays go before this row allocates (see the twin below)
        }
        Map<Contestant, List<Double>> samples = new LinkedHashMap<>();
        Map<Contestant, String> problems = new LinkedHashMap<>();
        List<Contestant> live = new ArrayList<>(c.contestants());
        long twins = guard ? c.contestants().stream().filter(k -> k.standalone() != null).count() : 0;
        int calibrate = minSampleSeconds > 0 ? 1 : 0;
        try (ProgressBar bar = ProgressBar.start(c.title(),
                (long) live.size() * (reps + (warmUp ? 1 : 0) + calibrate) + twins)) {
            Map<Contestant, Long> callNanos = new LinkedHashMap<>();
            long round0 = clock.getAsLong();
            long jit0 = jitMillis == null ? 0 : jitMillis.getAsLong();
            for (Contestant k : c.contestants()) {
                samples.put(k, new ArrayList<>());
                if (warmUp) {
                    long t = clock.getAsLong();
                    attempt(k, problems, null);
                    callNanos.put(k, clock.getAsLong() - t);
                    bar.step();
                }
            }
            long jitOfFirstRound = jitMillis == null ? 0 : jitMillis.getAsLong() - jit0;
            live.removeIf(problems::containsKey);
            int warmUps = warmUp ? 1 : 0;
            int jitRounds = warmUp ? waitForJit(c, live, problems, callNanos, jitOfFirstRound, clock.getAsLong() - round0) : 0;
            warmUps += jitRounds;
            if (calibrate > 0 && !live.isEmpty()) {
                if (!warmUp || (jitRounds == 0 && live.stream().anyMatch(k -> callNanos.get(k) < minSampleSeconds * 1e9))) {
                    warmUps++;
                    untimedRound(live, problems, callNanos, 1);
                }
                bar.advance(live.size());
            }
            int calls = live.isEmpty() || calibrate == 0 ? 1 : callsPerSample(minSampleSeconds, MAX_SAMPLE_SECONDS,
                    live.stream().mapToLong(callNanos::get).min().orElseThrow() / 1e9,
                    live.stream().mapToLong(callNanos::get).max().orElseThrow() / 1e9);
            if (calls > 1) {
                log.println("[bench] " + c.title() + ": " + calls + " calls per sample");
                if (warmUp) {
                    warmUps += calls * settleAtSampleLength(c, live, problems, calls);
                }
            }
            SamplePlan plan = new SamplePlan(warmUps, reps, calls);
            boolean oursOnly = guard && live.size() > 1 && live.stream().allMatch(Contestant::ours);
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < live.size(); i++) {
                    Contestant k = live.get((i + r) % live.size());
                    if (!problems.containsKey(k)) {
                        if (oursOnly) {
                            collectBetweenContestants();
                        }
                        if (probe != null) {
                            rowProbe.add(probe.read()); // untimed, between samples
                        }
                        List<Double> rates = new ArrayList<>(calls);
                        for (int j = 0; j < calls && !problems.containsKey(k); j++) {
                            attempt(k, problems, rates);
                        }
                        if (!problems.containsKey(k)) {
                            samples.get(k).add(SamplePlan.combine(rates));
                            if (TRACE) {
                                log.println("[bench] trace " + System.currentTimeMillis() / 1000 + " " + c.title() + " | " + k.label() + " | round " + r + " | "
                                        + rates.stream().map(v -> String.format(java.util.Locale.ROOT, "%.4g", v)).toList()
                                        + String.format(java.util.Locale.ROOT, " | resident %.2f GB",
                                                org.bytedeco.javacpp.Pointer.physicalBytes() / 1e9));
                            }
                        }
                    }
                    bar.step();
                }
            }
            List<Outcome> out = new ArrayList<>();
            for (Contestant k : c.contestants()) {
                List<Double> s = samples.get(k);
                if (problems.containsKey(k) || s.isEmpty()) {
                    out.add(new Outcome(k, null, problems.getOrDefault(k, "no samples")));
                    continue;
                }
                Stats stats = Stats.of(s.stream().map(c.unit()::shown).toList());
                Stats twin = null;
                String twinProblem = null;
                if (guard && k.standalone() != null) {
                    // after every round: nothing of ours is computing while the fresh process runs,
                    // and our native garbage is released first (ND4J frees an array's memory when
                    // the GC collects it): a bench JVM at 18.6 GB beside a twin training Faster
                    // R-CNN at batch 8 was killed for memory on 7 Dec 2026
                    System.gc();
                    try {
                        // what our own process did meanwhile: the twin is meant to run with nothing of ours busy
                        long cpu0 = ownCpuNanos();
                        long wall0 = System.nanoTime();
                        MachineLoad machine0 = MachineLoad.now();
                        twin = Stats.of(k.standalone().itemsPerSecond(plan).stream().map(c.unit()::shown).toList());
                        MachineLoad machine1 = machine0 == null ? null : MachineLoad.now();
                        log.printf(java.util.Locale.ROOT, "[bench] %s: standalone twin %.1f s, our process used %.2f s CPU meanwhile%s%n",
                                k.label(), (System.nanoTime() - wall0) / 1e9, (ownCpuNanos() - cpu0) / 1e9,
                                machine1 == null ? "" : "; " + machine1.since(machine0));
                    } catch (Exception | Error e) {
                        twinProblem = e.toString();
                        log.println("[bench] " + k.label() + " standalone twin failed: " + e);
                    }
                    bar.step();
                }
                out.add(new Outcome(k, stats, null, twin, twinProblem, null, plan));
            }
            return out;
        }
    }

    /**
     * More warm-up rounds while the JIT compiled for more than {@link #JIT_QUIET_FRACTION} of the
     * last round ({@code jitMs} over {@code roundNanos} for the first); returns how many were run.
     * Each round's call times replace the warm-up's in {@code callNanos}.
     */
    private int waitForJit(Comparison c, List<Contestant> live, Map<Contestant, String> problems,
                           Map<Contestant, Long> callNanos, long jitMs, long roundNanos) {
        if (jitMillis == null || live.isEmpty()) {
            return 0;
        }
        int rounds = 0;
        double spent = 0;
        Round last = new Round(roundNanos, jitMs);
        while (last.jitBusy() && withinCaps(rounds, spent, live)) {
            last = untimedRound(live, problems, callNanos, 1);
            spent += last.nanos() / 1e9;
            rounds++;
        }
        if (rounds > 0) {
            log.printf(java.util.Locale.ROOT, "[bench] %s: %d more warm-up round(s), %.1f s, %s (JIT %d ms in the last round of %.1f s)%n",
                    c.title(), rounds, spent, last.jitBusy() ? "JIT still compiling at the cap" : "until the JIT was quiet",
                    last.jitMs(), last.nanos() / 1e9);
        }
        return rounds;
    }

    /**
     * Warm-up rounds as long as a sample: {@code calls} discarded calls per contestant, repeated
     * while the JIT compiled for more than {@link #JIT_QUIET_FRACTION} of the round (within the
     * same caps as {@link #waitForJit}); returns the rounds. Why: the JIT rounds before it are one
     * call each, and a round of 0.1 s says little about compilations still to come. On 7 Dec 2026
     * the sample detectors' inference (3 ms calls) passed that check after 0.2 s and then sped up
     * round after round of the timed samples (RetinaNet 630 to 810 images/s, a 15% spread).
     * Without a JIT clock one such round is made.
     */
    private int settleAtSampleLength(Comparison c, List<Contestant> live, Map<Contestant, String> problems, int calls) {
        int rounds = 0;
        double spent = 0;
        Round last;
        do {
            last = untimedRound(live, problems, new LinkedHashMap<>(), calls); // call times not needed: the plan is set
            spent += last.nanos() / 1e9;
            rounds++;
        } while (last.jitBusy() && withinCaps(rounds, spent, live));
        log.printf(java.util.Locale.ROOT, "[bench] %s: %d warm-up round(s) of a sample's length, %.1f s (JIT %d ms in the last)%n",
                c.title(), rounds, spent, last.jitMs());
        return rounds;
    }

    /** One untimed round's wall time and the JIT's compilation time within it (0 without a JIT clock). */
    private record Round(long nanos, long jitMs) {
        /** The JIT compiled for more than {@link #JIT_QUIET_FRACTION} of the round. */
        boolean jitBusy() {
            return jitMs > JIT_QUIET_FRACTION * nanos / 1e6;
        }
    }

    /** Whether another warm-up round fits the caps ({@link #MAX_JIT_ROUNDS}, {@link #MAX_JIT_WARMUP_SECONDS}). */
    private static boolean withinCaps(int rounds, double spentSeconds, List<Contestant> live) {
        return rounds < MAX_JIT_ROUNDS && spentSeconds < MAX_JIT_WARMUP_SECONDS && !live.isEmpty();
    }

    /**
     * Before each sample of a row whose contestants are all ours (one JVM): a full GC, untimed,
     * so no contestant pays for the native garbage the one before it left (ND4J frees an array's
     * memory when the GC collects it, and glibc then reuses the space only where it is not
     * fragmented). Measured 7 Dec 2026 on the layout row: the DL4J contestants' garbage took the
     * process from 4 to 12 GB resident in one row, and the SameDiff contestant sampled after them
     * ran at half its speed (155 to 75 GFLOP/s). Rows with a peer are left alone: there our side
     * is timed in the steady state a user's loop reaches, garbage included.
     */
    private static void collectBetweenContestants() {
        System.gc();
    }

    /**
     * {@code calls} discarded calls per live contestant, in turn, each call's time into
     * {@code callNanos} (so the last one's stays); failed ones leave {@code live}.
     */
    private Round untimedRound(List<Contestant> live, Map<Contestant, String> problems, Map<Contestant, Long> callNanos,
                               int calls) {
        long t0 = clock.getAsLong();
        long j0 = jitMillis == null ? 0 : jitMillis.getAsLong();
        for (Contestant k : live) {
            for (int j = 0; j < calls && !problems.containsKey(k); j++) {
                long t = clock.getAsLong();
                attempt(k, problems, null);
                callNanos.put(k, clock.getAsLong() - t);
            }
        }
        live.removeIf(problems::containsKey);
        return new Round(clock.getAsLong() - t0, jitMillis == null ? 0 : jitMillis.getAsLong() - j0);
    }

    private static long ownCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private void attempt(Contestant k, Map<Contestant, String> problems, List<Double> into) {
        try {
            double v = k.measure().itemsPerSecond();
            if (into != null) {
                into.add(v);
            }
        } catch (Contestant.Skipped e) {
            problems.put(k, "skipped: " + e.getMessage());
        } catch (Exception | Error e) {
            problems.put(k, "failed: " + e);
            log.println("[bench] " + k.label() + " failed: " + e);
        }
    }
}
