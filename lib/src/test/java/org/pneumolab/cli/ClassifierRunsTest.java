package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.classify.study.KermanyStudy;
import org.pneumolab.classify.study.ModelRun;
import org.pneumolab.classify.study.PairedComparisons;
import org.pneumolab.classify.study.StudyConfig;
import org.pneumolab.runs.Runs;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.io.JsonNumbers;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;
import org.pneumolab.train.RunIdentity;
import org.pneumolab.train.TrainingHistory;

/**
 * Classifier runs as run folders, on a small generated sample (VGG16 at 32 px): notebook 02's
 * pair (VGG16 frozen, fine-tuned) and a notebook-03 head (the published class weights) each leave
 * a folder with spec, identity, kept epoch, history and per-image outputs; {@link Runs#compare} on
 * two of them prints the paired intervals the study prints for that pair; {@link Runs#table} lists
 * them; a rerun reuses them; a detector, another split and a folder from before run folders are
 * refused with the reason.
 */
class ClassifierRunsTest {
    private static final long SEED = 2;

    @Test
    void runFoldersCompareAsTheStudyDoes(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("sample");
        SampleGenerator.generate(SampleSpec.defaults().withSeed(SEED).withRsna(0).withKermany(160).withSizes(64, 96, 128), root);
        DataConfig data = new DataConfig(tmp, Optional.empty(), Optional.empty(), root, tmp.resolve("cache"), tmp.resolve("runs"));
        StudyConfig config = StudyConfig.forProfile(Profile.SAMPLE, SEED).withSizes(32, 75).withEpochs(3, 1).withMaxImagesPerSplit(60);
        KermanyStudy s = KermanyStudy.open(config, data, ProblemLog.quiet());
        ModelRun vgg = s.trainHead("VGG16 frozen", s.vgg16(), ClassWeights.none());
        ModelRun fine = s.fineTune("VGG16 fine-tuned", vgg);
        ModelRun weighted = s.trainHead("1:2.89", s.vgg16(), ClassWeights.published());
        Path a = s.runDir(fine);
        Path b = s.runDir(vgg);
        Path w = s.runDir(weighted);
        assertEquals(s.runsDir(), a.getParent());

        // the spec names the run; its identity ends the folder's name; another class weighting is another run
        String spec = Files.readString(b.resolve("config.json")).trim();
        assertTrue(b.getFileName().toString().endsWith(RunIdentity.of(spec).substring(0, 12)), b.toString());
        JsonObject cfg = new JsonParser().parse(spec).getAsJsonObject();
        assertEquals("classifier", cfg.get("kind").getAsString());
        for (String k : List.of("base", "pipeline", "head", "training", "selection", "data")) {
            assertTrue(cfg.has(k), "config.json has " + k + ": " + spec);
        }
        assertEquals(RunIdentity.of(spec), new JsonParser().parse(Files.readString(a.resolve("config.json")))
                .getAsJsonObject().getAsJsonObject("fineTune").get("stage1").getAsString(), "the fine-tuning names its stage-1 run");
        assertNotEquals(b, w);

        // kept.json and run.json: the epoch the head kept is the history's argmax of val_auc (the
        // first one on a tie), computed here from the history.csv the folder holds
        JsonObject kept = new JsonParser().parse(Files.readString(b.resolve("kept.json"))).getAsJsonObject();
        JsonObject runJson = new JsonParser().parse(Files.readString(b.resolve("run.json"))).getAsJsonObject();
        TrainingHistory h = TrainingHistory.load(b.resolve("history.csv"));
        double[] auc = h.series("val_auc");
        int bestEpoch = 0;
        for (int i = 0; i < auc.length; i++) {
            if (!Double.isNaN(auc[i]) && (bestEpoch == 0 || auc[i] > auc[bestEpoch - 1])) {
                bestEpoch = i + 1;
            }
        }
        assertTrue(bestEpoch >= 1, "a defined val ROC AUC on this sample: " + java.util.Arrays.toString(auc));
        assertEquals(bestEpoch, kept.get("epoch").getAsInt());
        assertEquals("best", kept.get("rule").getAsString());
        assertEquals(auc[bestEpoch - 1], kept.get("value").getAsDouble(), 0.0);
        assertTrue(kept.get("note").getAsString().startsWith("epoch " + bestEpoch + " of 3, best val ROC AUC"), kept.toString());
        assertEquals(bestEpoch, runJson.get("keptEpoch").getAsInt());
        assertEquals(kept.get("note").getAsString(), runJson.get("keptNote").getAsString());
        assertEquals(3, h.size());
        // the kept model is what the folder applies: predict's path (pixels through the loaded base
        // and head) gives the study's test scores
        SavedClassifier saved = SavedClassifier.load(b);
        List<Double> fromPixels = new java.util.ArrayList<>();
        try (var images = s.data().iterator("test", saved.model().backbone().inputSize(), 16)) {
            while (images.hasNext()) {
                for (double p : saved.scores(images.next().getFeatures())) {
                    fromPixels.add(p);
                }
            }
        }
        assertArrayEquals(vgg.test().scores(), fromPixels.stream().mapToDouble(Double::doubleValue).toArray(), 1e-5);
        for (Path run : List.of(a, b, w)) {
            for (String f : List.of("config.json", "kept.json", "run.json", "evaluation.json")) {
                JsonNumbers.parseStrict(Files.readString(run.resolve(f)));
            }
        }

        // compare from disk == the study's paired comparison of the same pair (notebook 02's lesson d)
        Runs.Comparison c = Runs.compare(a, b);
        Map<String, Verdict> expected = PairedComparisons.compare(fine, vgg, s.bootstrap());
        assertEquals(expected.size(), c.verdicts().size());
        List<Verdict> inOrder = List.copyOf(expected.values());
        for (int i = 0; i < inOrder.size(); i++) {
            Verdict e = inOrder.get(i);
            Verdict v = c.verdicts().get(i);
            assertEquals(e.metric(), v.metric());
            assertEquals(e.difference(), v.difference(), v.metric() + ": the study's paired interval");
            assertEquals(e.outcome(), v.outcome());
            assertEquals(e.n(), v.n());
        }
        assertEquals(vgg.test().size(), c.images());
        assertTrue(c.toString().contains(expected.get("roc_auc").differenceCell()), c.toString());
        assertTrue(c.specDiff().stream().anyMatch(d -> d.startsWith("fineTune.firstTrainable: \"block3_conv3\" -> (none)")),
                c.specDiff().toString());
        assertTrue(c.specDiff().stream().noneMatch(d -> d.startsWith("fineTune: ")), "a null section shows as its fields: " + c.specDiff());
        assertTrue(Runs.compare(w, b).specDiff().stream().anyMatch(d -> d.startsWith("head.classWeights.normal: 2.89")),
                Runs.compare(w, b).specDiff().toString());

        // the table: one row per run, the test ROC AUC with the study's interval, split and n
        var table = Runs.table(s.runsDir());
        assertEquals(3, table.rowCount());
        String printed = table.printAll();
        for (ModelRun r : List.of(vgg, fine, weighted)) {
            assertTrue(printed.contains("ROC AUC " + r.experiment().report().metric("roc_auc") + " (test, n=" + r.test().size() + ")"),
                    printed);
        }
        assertTrue(printed.contains("classWeights.normal: 1.0 -> 2.89"), "what differs from the study's defaults: " + printed);
        assertTrue(printed.contains("epochs: 20 -> 3"), printed);

        // one chart of the runs' curves, from their folders: a line per run, axes naming metric, split and n
        var chart = Runs.curves(List.of(b, w), "val_auc");
        assertEquals(2, chart.getSeriesMap().size());
        assertTrue(chart.getSeriesMap().containsKey("VGG16 frozen (kept e" + bestEpoch + ")"), chart.getSeriesMap().keySet().toString());
        assertEquals("ROC AUC on the val split (n=" + vgg.validation().size() + ")", chart.getYAxisTitle());
        assertArrayEquals(auc, chart.getSeriesMap().get("VGG16 frozen (kept e" + bestEpoch + ")").getYData(), 0.0);

        // the same through bin/pneumo
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Pneumo.run(new String[] {"compare", a.toString(), b.toString()}, ps, ps));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(expected.get("roc_auc").differenceCell()), out.toString(StandardCharsets.UTF_8));

        // a rerun reuses the finished heads: same scores, and the run keeps the time it was trained
        String trainedAt = new JsonParser().parse(Files.readString(b.resolve("run.json"))).getAsJsonObject().get("trainedAt").getAsString();
        KermanyStudy again = KermanyStudy.open(config, data, ProblemLog.quiet());
        ModelRun vgg2 = again.trainHead("VGG16 frozen", again.vgg16(), ClassWeights.none());
        assertEquals(b, again.runDir(vgg2));
        assertArrayEquals(vgg.test().scores(), vgg2.test().scores(), 0.0);
        assertEquals(trainedAt, new JsonParser().parse(Files.readString(b.resolve("run.json"))).getAsJsonObject().get("trainedAt").getAsString());

        // a head reused from its checkpoint by a study writing another runs folder reports the
        // training that made it (commit, machine, time), not "unknown"
        DataConfig elsewhere = new DataConfig(tmp, Optional.empty(), Optional.empty(), root, tmp.resolve("cache"), tmp.resolve("runs-b"));
        KermanyStudy third = KermanyStudy.open(config, elsewhere, ProblemLog.quiet());
        Path b3 = third.runDir(third.trainHead("VGG16 frozen", third.vgg16(), ClassWeights.none()));
        assertNotEquals(b, b3);
        JsonObject run3 = new JsonParser().parse(Files.readString(b3.resolve("run.json"))).getAsJsonObject();
        for (String k : List.of("trainedAt", "commit", "machine", "trainingSeconds")) {
            assertEquals(runJson.get(k), run3.get(k), k + " from the checkpoint");
        }

        // the same images copied to another folder (new paths and file times) on another machine's
        // cache: the same spec, so the same folder name, and compare accepts the pair
        Path copied = tmp.resolve("copied-sample");
        try (var files = Files.walk(root)) {
            for (Path f : files.toList()) {
                Path to = copied.resolve(root.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        DataConfig moved = new DataConfig(tmp, Optional.empty(), Optional.empty(), copied, tmp.resolve("cache-copy"), tmp.resolve("runs-copy"));
        KermanyStudy there = KermanyStudy.open(config, moved, ProblemLog.quiet());
        Path b2 = there.runDir(there.trainHead("VGG16 frozen", there.vgg16(), ClassWeights.none()));
        assertEquals(b.getFileName(), b2.getFileName(), "the run's identity does not depend on where the data is");
        assertEquals(Files.readString(b.resolve("config.json")), Files.readString(b2.resolve("config.json")));
        assertTrue(Runs.compare(b, b2).specDiff().isEmpty(), Runs.compare(b, b2).specDiff().toString());

        // an evaluation.json without a key it needs: an error naming the file and the key
        Path stale = copy(b, tmp.resolve("stale").resolve(b.getFileName()));
        JsonObject eval = new JsonParser().parse(Files.readString(stale.resolve("evaluation.json"))).getAsJsonObject();
        eval.remove("threshold");
        Files.writeString(stale.resolve("evaluation.json"), eval.toString());
        String missing = assertThrows(IllegalArgumentException.class, () -> Runs.open(stale).test()).getMessage();
        assertTrue(missing.startsWith(stale.resolve("evaluation.json") + ": missing key threshold"), missing);

        // refused, with the reason: another split, a detector, a classifier saved before run folders
        Path other = copy(b, tmp.resolve("other").resolve(b.getFileName()));
        JsonObject changed = new JsonParser().parse(Files.readString(other.resolve("config.json"))).getAsJsonObject();
        changed.getAsJsonObject("data").getAsJsonObject("split").addProperty("splitSeed", 99);
        Files.writeString(other.resolve("config.json"), changed.toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Runs.compare(b, other)).getMessage().contains("different splits"));
        Path detector = copy(b, tmp.resolve("detector").resolve("retinanet"));
        Files.writeString(detector.resolve("config.json"), "{\"model\":\"retinanet\",\"data\":{\"split\":\"x\"}}");
        String msg = assertThrows(IllegalArgumentException.class, () -> Runs.compare(detector, b)).getMessage();
        assertTrue(msg.contains("a detector run and a classifier run"), msg);
        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        Files.copy(b.resolve(SavedClassifier.CONFIG), old.resolve(SavedClassifier.CONFIG));
        String refused = assertThrows(IOException.class, () -> Runs.open(old)).getMessage();
        assertTrue(refused.startsWith(old + ": a classifier saved before run folders"), refused);
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of("config.json", "run.json", "evaluation.json")) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        return to;
    }
}
