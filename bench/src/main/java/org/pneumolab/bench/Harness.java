package org.pneumolab.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.notebook.ProgressBar;

/**
 * Runs each comparison's contestants interleaved: one warm-up call each (discarded: JIT, oneDNN
 * primitive creation, PyTorch allocator), then {@code reps} rounds in which every contestant runs
 * once, the order rotating each round so slow drifts in machine load (other builds on a shared
 * box) fall on all sides alike.
 *
 * <p>With the guard on (every full run), each peer that has a standalone twin is then timed again
 * in a fresh process of its own, started after the rounds, when our side's work is done and its
 * native threads idle; a row that {@link Reliability} rejects (spread, or in-bench vs standalone
 * gap) is run again once, and if it is rejected again its outcomes carry the reason, which the
 * table prints instead of a ratio and which {@link Target} refuses to judge.
 */
public final class Harness {
    private final int reps;
    private final boolean warmUp;
    private final boolean guard;
    private final String peerUnfit;
    private final PrintStream log;

    /** {@code warmUp} false only for smoke runs, where the numbers are not read (and so not guarded). */
    public Harness(int reps, boolean warmUp, PrintStream log) {
        this(reps, warmUp, warmUp, null, log);
    }

    /**
     * @param peerUnfit why no peer figure of this run can be published whatever its rounds show
     *                  (the peer's BLAS, {@link PeerBlas}), or null; applied by the guard only
     */
    public Harness(int reps, boolean warmUp, boolean guard, String peerUnfit, PrintStream log) {
        this.reps = reps;
        this.warmUp = warmUp;
        this.guard = guard;
        this.peerUnfit = peerUnfit;
        this.log = log;
    }

    /**
     * A contestant's outcome: statistics in the comparison's unit, or why it was skipped or failed;
     * the standalone twin's statistics (or why there are none); and, for every outcome of a row the
     * guard rejected twice, why ({@code unreliable}, null otherwise).
     */
    public record Outcome(Contestant contestant, Stats stats, String problem, Stats standalone, String twinProblem,
                          String unreliable) {
        public Outcome(Contestant contestant, Stats stats, String problem) {
            this(contestant, stats, problem, null, null, null);
        }

        Outcome markedUnreliable(String why) {
            return new Outcome(contestant, stats, problem, standalone, twinProblem, why);
        }
    }

    public List<Outcome> run(Comparison c) {
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
        // not a reason to run again: no round can make such a peer's figure publishable
        String unfit = Reliability.peerUnfit(out, peerUnfit);
        String all = why == null ? unfit : unfit == null ? why : why + "; " + unfit;
        return all == null ? out : out.stream().map(o -> o.markedUnreliable(all)).toList();
    }

    private List<Outcome> runOnce(Comparison c) {
        Map<Contestant, List<Double>> samples = new LinkedHashMap<>();
        Map<Contestant, String> problems = new LinkedHashMap<>();
        List<Contestant> live = new ArrayList<>(c.contestants());
        long twins = guard ? c.contestants().stream().filter(k -> k.standalone() != null).count() : 0;
        try (ProgressBar bar = ProgressBar.start(c.title(), (long) live.size() * (reps + (warmUp ? 1 : 0)) + twins)) {
            for (Contestant k : c.contestants()) {
                samples.put(k, new ArrayList<>());
                if (warmUp) {
                    attempt(k, problems, null);
                    bar.step();
                }
            }
            live.removeIf(problems::containsKey);
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < live.size(); i++) {
                    Contestant k = live.get((i + r) % live.size());
                    if (!problems.containsKey(k)) {
                        attempt(k, problems, samples.get(k));
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
                    // after every round: nothing of ours is computing while the fresh process runs
                    try {
                        // what our own process did meanwhile: the twin is meant to run with nothing of ours busy
                        long cpu0 = ownCpuNanos();
                        long wall0 = System.nanoTime();
                        twin = Stats.of(k.standalone().itemsPerSecond(reps).stream().map(c.unit()::shown).toList());
                        log.printf(java.util.Locale.ROOT, "[bench] %s: standalone twin %.1f s, our process used %.2f s CPU meanwhile%n",
                                k.label(), (System.nanoTime() - wall0) / 1e9, (ownCpuNanos() - cpu0) / 1e9);
                    } catch (Exception | Error e) {
                        twinProblem = e.toString();
                        log.println("[bench] " + k.label() + " standalone twin failed: " + e);
                    }
                    bar.step();
                }
                out.add(new Outcome(k, stats, null, twin, twinProblem, null));
            }
            return out;
        }
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
