package org.pneumolab.bench;

/**
 * How a row's contestants were sampled: {@code warmUps} discarded calls each (the warm-up, and the
 * calibration call when there was one), then {@code reps} samples of {@code callsPerSample}
 * consecutive calls. Every contestant of a row gets the same plan, so stateful work (a detector
 * that trains on every call) advances by the same number of calls on every side, and a peer's
 * standalone twin repeats the plan in its fresh process.
 */
public record SamplePlan(int warmUps, int reps, int callsPerSample) {

    public SamplePlan {
        if (warmUps < 0 || reps < 1 || callsPerSample < 1) {
            throw new IllegalArgumentException("warmUps " + warmUps + ", reps " + reps + ", calls " + callsPerSample);
        }
    }

    /** Every call the plan makes, discarded ones included. */
    public int totalCalls() {
        return warmUps + reps * callsPerSample;
    }

    /**
     * One sample from {@code callsPerSample} calls' rates: total items over total time, i.e. the
     * harmonic mean, since every call of a contestant does the same number of items.
     */
    public static double combine(java.util.List<Double> rates) {
        double seconds = 0;
        for (double r : rates) {
            seconds += 1 / r;
        }
        return rates.size() / seconds;
    }
}
