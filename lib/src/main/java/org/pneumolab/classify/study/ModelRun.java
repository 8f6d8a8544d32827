package org.pneumolab.classify.study;

import java.util.List;

import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.Predictions;
import org.pneumolab.classify.TransferModel;
import org.pneumolab.classify.WeightsSource;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.metrics.Experiment;
import org.pneumolab.train.TrainingHistory;

/**
 * One trained model of a study and what it did.
 *
 * @param name        e.g. "VGG16 frozen" (used in tables, legends, confusion matrices)
 * @param model       the model (base + trained head)
 * @param weights     the base's weights (ImageNet or random init), shown beside every result
 * @param classWeights the loss weights it was trained with
 * @param history     per-epoch train_loss, val_loss, val_auc
 * @param validation  scores on the "val" split
 * @param test        scores on the "test" split
 * @param testRecords the test images, row-aligned with {@code test}
 * @param experiment  test-split metrics (95% bootstrap CIs) and curves
 * @param frozenThrough the last frozen base vertex (the base output for stage 1; block5_conv2
 *                    when block5_conv3 was fine-tuned), for parameter counts
 * @param keptNote    which epoch's weights the run kept (best validation ROC AUC) and why
 * @param trainingSeed the seed of the head's initialisation and shuffling (the base is the study's)
 */
public record ModelRun(String name, TransferModel model, WeightsSource weights, ClassWeights classWeights,
                       TrainingHistory history, Predictions validation, Predictions test,
                       List<KermanyRecord> testRecords, Experiment experiment, String frozenThrough,
                       String keptNote, long trainingSeed) {

    /** The same run under another name (its experiment renamed with it). */
    public ModelRun renamed(String newName) {
        return new ModelRun(newName, model, weights, classWeights, history, validation, test, testRecords,
                new Experiment(newName, experiment.report(), experiment.curves()), frozenThrough, keptNote, trainingSeed);
    }

    /** Test-split images the model got wrong at the report's threshold, with their scores. */
    public List<Misclassified> misclassified() {
        double t = experiment.report().cm().threshold();
        List<Misclassified> out = new java.util.ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            boolean predicted = test.scores()[i] >= t;
            if (predicted != (test.labels()[i] == 1)) {
                out.add(new Misclassified(testRecords.get(i), test.scores()[i]));
            }
        }
        return out;
    }

    /** A wrongly classified test image and the model's P(pneumonia). */
    public record Misclassified(KermanyRecord record, double score) {
        public boolean falseNegative() {
            return record.label() == 1;
        }
    }
}
