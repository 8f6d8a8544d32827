package org.pneumolab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Summary of repeated throughput samples: the median, and the spread as (max - min) / median. */
public record Stats(double median, double min, double max, int n) {

    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        int k = s.size();
        double median = k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
        return new Stats(median, s.get(0), s.get(k - 1), k);
    }

    public double spreadPercent() {
        return median == 0 ? 0 : 100 * (max - min) / median;
    }
}
