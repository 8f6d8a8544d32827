package org.pneumolab.classify.study;

import java.util.List;

import org.pneumolab.metrics.ConfusionMatrix;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The published study's Kermany figures (real test set, 624 images: 390 pneumonia, 234 normal,
 * ImageNet weights) beside ours, each row saying which data and which weights it comes from.
 * Figures the published study did not state are NaN, never guessed.
 */
public final class PublishedResults {
    /** One published row. Counts are NaN where the published study gave only rates, rates where it gave only counts are derived. */
    public record Published(String model, double accuracy, double precision, double recall, double fn, double fp,
                            String note) {
    }

    public static final String PUBLISHED_DATA = "published: real Kermany test set, 624 images";
    public static final int TEST_PNEUMONIA = 390;
    public static final int TEST_NORMAL = 234;

    private PublishedResults() {
    }

    /** InceptionV3: 15 FN, 103 FP (118 of 624 wrong; rates derived); VGG16: the stated rates. */
    public static List<Published> published() {
        ConfusionMatrix inception = new ConfusionMatrix(0.5, TEST_PNEUMONIA - 15, 103, TEST_NORMAL - 103, 15);
        return List.of(
                new Published("InceptionV3 frozen (299 px)", inception.accuracy(), inception.precision(),
                        inception.recall(), 15, 103, "counts published; rates derived from them"),
                new Published("VGG16 frozen (150 px)", 0.935, 0.93, 0.969, Double.NaN, Double.NaN,
                        "rates published"),
                new Published("VGG16 fine-tuned block5_conv3", 0.935, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        "same accuracy/F1 as frozen VGG16, different FN/FP split (39 vs 40 wrong)"));
    }

    /** Published rows, then one per run of ours on the data loaded now, all on a "test" split. */
    public static Table beside(List<ModelRun> ours, String ourData) {
        StringColumn source = StringColumn.create("source");
        StringColumn model = StringColumn.create("model");
        StringColumn data = StringColumn.create("data");
        StringColumn weights = StringColumn.create("weights");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn prec = DoubleColumn.create("precision");
        DoubleColumn rec = DoubleColumn.create("recall");
        DoubleColumn fn = DoubleColumn.create("FN");
        DoubleColumn fp = DoubleColumn.create("FP");
        StringColumn note = StringColumn.create("note");
        for (Published p : published()) {
            source.append("published");
            model.append(p.model());
            data.append(PUBLISHED_DATA);
            weights.append("ImageNet");
            acc.append(p.accuracy());
            prec.append(p.precision());
            rec.append(p.recall());
            fn.append(p.fn());
            fp.append(p.fp());
            note.append(p.note());
        }
        for (ModelRun r : ours) {
            ConfusionMatrix cm = r.experiment().report().cm();
            source.append("ours");
            model.append(r.name());
            data.append("ours: " + ourData + ", test split, " + cm.n() + " images");
            weights.append(r.weights().pretrained() ? "ImageNet" : "RANDOM INIT (no ImageNet weights)");
            acc.append(cm.accuracy());
            prec.append(cm.precision());
            rec.append(cm.recall());
            fn.append(cm.fn());
            fp.append(cm.fp());
            // Where the head read the base, and whether it standardised: the published study's choices or the sample's.
            var m = r.model();
            String head = m.featureScaling() == org.pneumolab.classify.FeatureScaling.NONE
                    ? "published head" : "standardised head";
            note.append(String.format(java.util.Locale.ROOT, "features %s, %s; threshold %.2f; ROC AUC %s",
                    m.backbone().outputVertex(), head, cm.threshold(), r.experiment().report().metric("roc_auc")));
        }
        return Table.create("Test-split results: the published study's and ours", source, model, data, weights, acc, prec, rec,
                fn, fp, note);
    }
}
