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

    /**
     * This contestant's label and side without its work: what the report and the targets read
     * once the row has run. Why: the work's closures hold the row's models (a paper detector with
     * its held training session is gigabytes), and the full run of 7 Dec 2026 kept every row's
     * contestants to the end for the targets, until JavaCPP refused memory at its 14.6 GB limit.
     */
    public Contestant detached() {
        // the message from a local, not from `label`: that would capture this contestant, and with
        // it the work; so every detector of the run stayed reachable from the targets' map after
        // its stage (a heap dump of 7 Dec 2026, evening, found the path)
        String message = label + ": measured already (a detached contestant)";
        return new Contestant(label, ours, () -> {
            throw new IllegalStateException(message);
        }, null);
    }

    /** The contestant cannot run on this machine; the reason goes into the table. */
    public static final class Skipped extends Exception {
        public Skipped(String why) {
            super(why);
        }
    }
}
