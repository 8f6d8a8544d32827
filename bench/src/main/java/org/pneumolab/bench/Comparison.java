package org.pneumolab.bench;

import java.util.List;

/** A benchmark row group: contestants measured interleaved on the same work, in {@code unit}. */
public record Comparison(String title, String unit, List<Contestant> contestants, String note) {
}
