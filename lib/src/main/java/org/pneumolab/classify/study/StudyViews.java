package org.pneumolab.classify.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.pneumolab.classify.GradCam;
import org.pneumolab.classify.GradCamResult;
import org.pneumolab.classify.ParameterCounts;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.viz.ImageGrid;

import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Tables and pictures of a study's runs: parameter counts, misclassified images, Grad-CAM. */
public final class StudyViews {
    private StudyViews() {
    }

    /** Trainable / frozen / BN-statistics parameters of each run's assembled model (Keras's summary figures). */
    public static Table parameterCounts(List<ModelRun> runs) {
        StringColumn model = StringColumn.create("model");
        StringColumn input = StringColumn.create("input");
        LongColumn trainable = LongColumn.create("trainable");
        LongColumn frozen = LongColumn.create("frozen");
        LongColumn stats = LongColumn.create("BN statistics");
        LongColumn total = LongColumn.create("total");
        for (ModelRun r : runs) {
            ParameterCounts c = ParameterCounts.of(r.model().assemble(r.frozenThrough()));
            model.append(r.name());
            int s = r.model().backbone().inputSize();
            input.append(s + " x " + s + " x 3");
            trainable.append(c.trainable());
            frozen.append(c.frozen());
            stats.append(c.batchNormStatistics());
            total.append(c.total());
        }
        return Table.create("Parameters (base frozen through the named layer + head)", model, input, trainable, frozen, stats, total);
    }

    /**
     * Up to {@code max} wrongly classified test images (false negatives first: missed pneumonia),
     * each captioned with truth, P(pneumonia) and file.
     */
    public static ImageGrid misclassified(ModelRun run, StudyData data, int max) throws IOException {
        List<ModelRun.Misclassified> wrong = new ArrayList<>(run.misclassified());
        wrong.sort((a, b) -> Boolean.compare(b.falseNegative(), a.falseNegative()));
        long fn = wrong.stream().filter(ModelRun.Misclassified::falseNegative).count();
        ImageGrid grid = new ImageGrid(String.format(Locale.ROOT, "%s: %d of %d test images wrong (%d FN, %d FP), threshold %.2f",
                run.name(), wrong.size(), run.test().size(), fn, wrong.size() - fn,
                run.experiment().report().cm().threshold()), 6, 140);
        int size = run.model().backbone().inputSize();
        for (ModelRun.Misclassified m : wrong.subList(0, Math.min(max, wrong.size()))) {
            var img = data.pipeline(size).prepare(m.record().image()).image().toBufferedImage();
            grid.add(img, String.format(Locale.ROOT, "%s P=%.2f %s", m.falseNegative() ? "FN" : "FP", m.score(),
                    m.record().image().getFileName()));
        }
        return grid;
    }

    /** Grad-CAM on {@code n} test images (half of each class where possible, seeded choice). */
    public static GradCamResult gradCam(ModelRun run, StudyData data, int n, long seed) throws IOException {
        List<KermanyRecord> test = run.testRecords();
        List<KermanyRecord> pick = new ArrayList<>();
        Random rnd = new Random(seed);
        for (int label : new int[]{1, 0}) {
            List<KermanyRecord> cls = new ArrayList<>(test.stream().filter(r -> r.label() == label).toList());
            java.util.Collections.shuffle(cls, rnd);
            pick.addAll(cls.subList(0, Math.min(cls.size(), label == 1 ? (n + 1) / 2 : n - pick.size())));
        }
        GradCamResult r = GradCam.compute(run.model(), data.pixels(pick, run.model().backbone().inputSize()));
        return r.labelled(String.format(Locale.ROOT, "%s: Grad-CAM of P=P(pneumonia) at %s, test split, %d px",
                run.name(), r.layer(), run.model().backbone().inputSize()),
                pick.stream().map(k -> k.label() == 1 ? "PNEUMONIA" : "NORMAL").toList());
    }
}
