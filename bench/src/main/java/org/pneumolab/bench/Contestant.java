package org.pneumolab.bench;

import java.util.List;

/**
 * One side of a comparison: ours (DL4J, our decoders) or the peer's (PyTorch, Pillow).
 * {@code measure} runs the work once and returns items per second; every call does the same
 * number of items (the harness combines several calls into one sample by total items over total
 * time). It may throw {@link Skipped} when the side cannot run here (e.g. no torch). A peer may also have a
 * {@code standalone} twin: the same work timed in a fresh process of its own, started after the
 * interleaved rounds (see {@link Harness}); null for our contestants and for peers without one.
 */
public record Contestant(String label, boolean ours, Measure measure, Standalone standalone) {

    public Contestant(String label, boolean ours, Measure measure) {
        this(label, ours, measure, null);
    }

    @FunctionalInterface
    public interface Measure {
        double itemsPerSecond() throws Exception;
    }

    /**
     * The same work in a fresh process, sampled by the row's plan: its discarded calls, then
     * {@code plan.reps()} samples of {@code plan.callsPerSample()} calls each, in items per second.
     */
    @FunctionalInterface
    public interface Standalone {
        List<Double> itemsPerSecond(SamplePlan plan) throws Exception;
    }

    /** The contestant cannot run on this machine; the reason goes into the table. */
    public static final class Skipped extends Exception {
        public Skipped(String why) {
            super(why);
        }
    }
}
