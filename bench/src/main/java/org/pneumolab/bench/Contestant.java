package org.pneumolab.bench;

/**
 * One side of a comparison: ours (DL4J, our decoders) or the peer's (PyTorch, Pillow).
 * {@code measure} runs the work once and returns items per second; it may throw
 * {@link Skipped} when the side cannot run here (e.g. no torch).
 */
public record Contestant(String label, boolean ours, Measure measure) {

    @FunctionalInterface
    public interface Measure {
        double itemsPerSecond() throws Exception;
    }

    /** The contestant cannot run on this machine; the reason goes into the table. */
    public static final class Skipped extends Exception {
        public Skipped(String why) {
            super(why);
        }
    }
}
