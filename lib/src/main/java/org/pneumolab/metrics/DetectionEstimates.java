package org.pneumolab.metrics;

import java.util.Map;

/**
 * A detector's metrics on one split, each with its bootstrap interval over images.
 *
 * @param split     the data split
 * @param images    images scored (n)
 * @param negatives images without a true box among them
 * @param metrics   by name, {@link DetectionBootstrap#METRICS} in order
 * @param method    how the intervals were made
 */
public record DetectionEstimates(String split, int images, int negatives, Map<String, Estimate> metrics,
                                 String method) {
    public DetectionEstimates {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    public Estimate metric(String name) {
        Estimate e = metrics.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; have " + metrics.keySet());
        }
        return e;
    }

    public Estimate rsna() {
        return metric(DetectionBootstrap.RSNA);
    }

    public Estimate ap50() {
        return metric(DetectionBootstrap.AP50);
    }

    public Estimate falsePositivesPerImage() {
        return metric(DetectionBootstrap.FP_PER_IMAGE);
    }

    public Estimate falsePositivesPerNegativeImage() {
        return metric(DetectionBootstrap.FP_PER_NEGATIVE);
    }

    /** One line per metric: "RSNA metric (held-out, n=59): 0.049 [0.012, 0.093]", then the method. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        metrics.forEach((k, e) -> b.append(String.format(java.util.Locale.ROOT, "%s (%s, n=%d%s): %s%n", k, split,
                k.equals(DetectionBootstrap.FP_PER_NEGATIVE) ? negatives : images,
                k.equals(DetectionBootstrap.FP_PER_NEGATIVE) ? " negative images" : "", e)));
        return b.append("(").append(method).append(")").toString();
    }
}
