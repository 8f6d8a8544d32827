package org.pneumolab.metrics;

/**
 * False positives (predictions not matched at IoU above {@link RsnaMetric#AP_IOU}) on the
 * images of one detailed class, e.g. "No Lung Opacity / Not Normal".
 */
public record ClassFalsePositives(String detailedClass, int images, int falsePositives) {
    public double perImage() {
        return images == 0 ? Double.NaN : (double) falsePositives / images;
    }
}
