package org.pneumolab.metrics;

import java.util.Locale;
import java.util.Map;

import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.RendersAsHtml;
import org.pneumolab.report.Format;

/**
 * RSNA detection results on one data split.
 *
 * @param split              the data split scored
 * @param score              the competition metric (mean image score)
 * @param imagesScored       images in the mean
 * @param imagesLeftOut      images with neither ground truth nor prediction
 * @param ap50               dataset-level AP at IoU > 0.5, all-point interpolation
 * @param falsePositives     per detailed class (empty without class information)
 * @param unlabelledImages   images with predictions but no ground truth (not scored)
 */
public record RsnaResult(String split, double score, int imagesScored, int imagesLeftOut, double ap50,
        Map<String, ClassFalsePositives> falsePositives, int unlabelledImages) implements RendersAsHtml {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "split: %s%n", split));
        b.append(String.format(Locale.ROOT, "RSNA metric (mean TP/(TP+FP+FN) over IoU 0.40..0.75): %s%n", Format.rate(score)));
        b.append(String.format(Locale.ROOT, "images scored: %d (left out, no box in truth or prediction: %d)%n",
                imagesScored, imagesLeftOut));
        b.append(String.format(Locale.ROOT, "AP50 (IoU > 0.5, all-point interpolation): %s", Format.rate(ap50)));
        if (!falsePositives.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nfalse positives per image by detailed class (IoU > 0.5):"));
            falsePositives.values().forEach(c -> b.append(String.format(Locale.ROOT, "%n  %-30s %s  (%d FP on %d images)",
                    c.detailedClass(), Format.rate(c.perImage()), c.falsePositives(), c.images())));
        }
        if (unlabelledImages > 0) {
            b.append(String.format(Locale.ROOT, "%nnot scored: %d images with predictions but no ground truth",
                    unlabelledImages));
        }
        return b.toString();
    }

    @Override
    public String toHtml() {
        return "<pre>" + Html.escape(toString()) + "</pre>";
    }
}
