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
 */
public final class Harness {
    private final int reps;
    private final boolean warmUp;
    private final PrintStream log;

    /** {@code warmUp} false only for smoke runs, where the numbers are not read. */
    public Harness(int reps, boolean warmUp, PrintStream log) {
        this.reps = reps;
        this.warmUp = warmUp;
        this.log = log;
    }

    /** A contestant's outcome: statistics in the comparison's unit, or why it was skipped or failed. */
    public record Outcome(Contestant contestant, Stats stats, String problem) {
    }

    public List<Outcome> run(Comparison c) {
        Map<Contestant, List<Double>> samples = new LinkedHashMap<>();
        Map<Contestant, String> problems = new LinkedHashMap<>();
        List<Contestant> live = new ArrayList<>(c.contestants());
        try (ProgressBar bar = ProgressBar.start(c.title(), (long) live.size() * (reps + (warmUp ? 1 : 0)))) {
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
        }
        List<Outcome> out = new ArrayList<>();
        for (Contestant k : c.contestants()) {
            List<Double> s = samples.get(k);
            out.add(problems.containsKey(k) || s.isEmpty()
                    ? new Outcome(k, null, problems.getOrDefault(k, "no samples"))
                    : new Outcome(k, Stats.of(s.stream().map(c.unit()::shown).toList()), null));
        }
        return out;
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
