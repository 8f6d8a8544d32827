package org.pneumolab.classify.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pneumolab.data.KermanyRecord;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.PairedBinary;
import org.pneumolab.metrics.Verdict;

/**
 * Two runs of a Kermany study on the same test images, compared by a paired, class-stratified
 * bootstrap ({@link PairedBinary}): the ROC AUC difference (and every other metric, each model at
 * its own threshold) with its interval and generated verdict.
 */
public final class PairedComparisons {
    private PairedComparisons() {
    }

    /** A minus B on every metric; refuses runs scored on different test images. */
    public static Map<String, Verdict> compare(ModelRun a, ModelRun b, Bootstrap bootstrap) {
        List<String> ia = a.testRecords().stream().map(KermanyRecord::image).map(Object::toString).toList();
        List<String> ib = b.testRecords().stream().map(KermanyRecord::image).map(Object::toString).toList();
        if (!ia.equals(ib)) {
            throw new IllegalArgumentException(a.name() + " and " + b.name()
                    + " were scored on different test images; a paired comparison needs the same ones, in the same order");
        }
        return compare("test", a.name(), a.test().scores(), a.experiment().report().cm().threshold(),
                b.name(), b.test().scores(), b.experiment().report().cm().threshold(), a.test().labels(), bootstrap);
    }

    /**
     * A minus B on every metric from two runs' scores on the same images (e.g. read back from their
     * run folders, {@code org.pneumolab.runs.Runs#compare}): the study's paired, class-stratified
     * bootstrap, each model at its own threshold.
     */
    public static Map<String, Verdict> compare(String split, String nameA, double[] scoresA, double thresholdA,
                                               String nameB, double[] scoresB, double thresholdB, int[] labels,
                                               Bootstrap bootstrap) {
        return PairedBinary.compare(split, nameA, scoresA, thresholdA, nameB, scoresB, thresholdB, labels,
                bootstrap.withStratified(true));
    }

    /** The ROC AUC verdict of A against B. */
    public static Verdict rocAuc(ModelRun a, ModelRun b, Bootstrap bootstrap) {
        return compare(a, b, bootstrap).get("roc_auc");
    }

    /** ROC AUC, then FN and FP counts, of A against B (the threshold-free metric first). */
    public static List<Verdict> headline(ModelRun a, ModelRun b, Bootstrap bootstrap) {
        Map<String, Verdict> all = compare(a, b, bootstrap);
        List<Verdict> out = new ArrayList<>();
        out.add(all.get("roc_auc"));
        out.add(all.get(PairedBinary.FALSE_NEGATIVES));
        out.add(all.get(PairedBinary.FALSE_POSITIVES));
        return out;
    }
}
