package org.pneumolab.bench;

/**
 * How a comparison's samples are shown. Contestants always measure items per second; a rate
 * unit shows that number, a time unit shows {@code factor / rate} (e.g. factor 1000 gives
 * milliseconds per item). Either way a larger speed is better, so ratios are speed ratios.
 */
public record Unit(String label, double timeFactor) {

    /** Items per second under {@code label} ("img/s", "GFLOP/s"). */
    public static Unit rate(String label) {
        return new Unit(label, 0);
    }

    /** Time per item: {@code secondsTo} converts seconds into the shown unit (1000 for ms). */
    public static Unit time(String label, double secondsTo) {
        if (secondsTo <= 0) {
            throw new IllegalArgumentException("time unit " + label + " needs a positive factor, got " + secondsTo);
        }
        return new Unit(label, secondsTo);
    }

    public boolean isTime() {
        return timeFactor > 0;
    }

    /** A measured rate (items per second) in this unit. */
    public double shown(double itemsPerSecond) {
        return isTime() ? timeFactor / itemsPerSecond : itemsPerSecond;
    }

    /** How many times faster {@code shown} is than {@code reference} (both in this unit). */
    public double speedRatio(double shown, double reference) {
        return isTime() ? reference / shown : shown / reference;
    }
}
