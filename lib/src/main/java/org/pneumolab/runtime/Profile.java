package org.pneumolab.runtime;

import java.util.Locale;

/**
 * The size of a run. {@code SAMPLE}: the synthetic sample, small inputs, minutes on a 2-core CPU.
 * {@code PAPER}: the real data sets at the case studies' sizes (GPU recommended). Same code paths;
 * only sizes change. Notebooks read it in their first cell from {@code PNEUMO_PROFILE}.
 */
public enum Profile {
    SAMPLE, PAPER;

    /** {@code PNEUMO_PROFILE} (sample|paper), {@code SAMPLE} when unset. */
    public static Profile current() {
        return parse(System.getenv("PNEUMO_PROFILE"));
    }

    public static Profile parse(String name) {
        if (name == null || name.isBlank()) {
            return SAMPLE;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PNEUMO_PROFILE must be 'sample' or 'paper', got '" + name + "'", e);
        }
    }

    /** The value for this profile: {@code sample} for SAMPLE, {@code paper} for PAPER. */
    public <T> T pick(T sample, T paper) {
        return this == SAMPLE ? sample : paper;
    }

    public int pick(int sample, int paper) {
        return this == SAMPLE ? sample : paper;
    }

    public double pick(double sample, double paper) {
        return this == SAMPLE ? sample : paper;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
