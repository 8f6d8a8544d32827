package org.pneumolab.metrics;

/** One model or setting evaluated on a split: its name, report and curves. */
public record Experiment(String name, BinaryReport report, Curves curves) {
    public String split() {
        return report.split();
    }
}
