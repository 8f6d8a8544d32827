package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.BatchOptions;
import org.pneumolab.data.DetectionBatches;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.Detectors;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.SavedDetector;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.geom.Detection;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.Submission;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.runs.Runs;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * A third detector needs no edit to an existing switch: {@link MeanBoxDetector} (one test class)
 * is registered, trained by the same trainer (its kept epoch chosen by a scripted validation
 * metric), read back by {@link SavedDetector} from its run folder, and applied by
 * {@code pneumo predict}, which gives the boxes the trained model gives; and two of its runs, scored
 * by the detection study's own path, are compared by {@code pneumo compare} like notebook 04's.
 */
class RegisteredDetectorTest {
    @Test
    void aRegisteredDetectorTrainsSavesAndPredicts(@TempDir Path tmp) throws Exception {
        RsnaDataset ds = registeredWithSample(tmp, 20);
        ImagePipeline pipeline = new ImagePipeline(DetectionData.pipelineSpec(64), ImageDecoders.standard(), null);
        List<DetectionSample> train = ds.records().stream().map(RsnaRecord::toSample).toList();
        String config = MeanBoxDetector.config(64, 0.5);
        Detectors.Kind kind = Detectors.kindOf(config);
        RunStore store = new RunStore(tmp.resolve("runs"));
        double[] script = {0.1, 0.3, 0.2};
        var trained = DetectorTrainer.train(store, "mean-box", kind.create(config), sd -> kind.restore(config, sd),
                new DetectorTrainer.Input(train, pipeline, AugmentSpec.none(), ProblemLog.quiet()),
                new DetectorTrainer.Settings(3, 4, 3), (det, epoch) -> Map.of("val_x", script[epoch - 1]), "val_x");
        assertEquals(2, trained.keptEpoch());

        SavedDetector saved = SavedDetector.load(store.dir("mean-box"));
        assertInstanceOf(MeanBoxDetector.class, saved.detector());
        assertEquals(2, saved.kept().epoch());
        PostProcess pp = new PostProcess(0.05, 0.5, 4, 1.0);
        Map<String, List<Detection>> direct = detect(trained.detector(), ds.testImages(), pipeline, pp);
        Detector last = kind.restore(config, store.open("mean-box", store.config("mean-box")).graph());
        assertNotEquals(direct, detect(last, ds.testImages(), pipeline, pp), "the kept epoch 2 is not the last");

        Path csv = tmp.resolve("pred.csv");
        List<String> argv = new ArrayList<>(List.of("--run", store.dir("mean-box").toString(), "--out", csv.toString(),
                "--threshold", "0.05", "--nms", "0.5", "--max-boxes", "4", "--shrink", "1.0"));
        ds.testImages().forEach(f -> argv.add(f.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new PredictCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).run(argv),
                out.toString(StandardCharsets.UTF_8));
        Submission.of(direct).write(tmp.resolve("direct.csv"));
        assertEquals(Files.readAllLines(tmp.resolve("direct.csv")), Files.readAllLines(csv));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("kept epoch 2 of 3"), out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Two mean-box runs differing in one knob (the learning rate), trained and scored on a study's
     * split by {@link DetectionStudy#runRegistered} (the path notebook 04's contenders take, so
     * their folders get {@code run.json} and {@code evaluation.json}), then compared by
     * {@link Runs#compare} and {@code pneumo compare}: the spec diff names exactly that knob, and
     * the paired verdicts' differences are the two runs' own held-out metrics subtracted.
     */
    @Test
    void twoRegisteredRunsAreScoredByTheStudyAndCompared(@TempDir Path tmp) throws Exception {
        RsnaDataset ds = registeredWithSample(tmp, 30);
        // the sample profile's spec, small: a 64 px input (the mean box's), 3 epochs, random weights (no ImageNet file)
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 2018).with(s -> s.epochs(3).inputSize(64)
                .weights(org.pneumolab.weights.WeightsChoice.RANDOM));
        ImagePipeline pipeline = new ImagePipeline(DetectionData.pipelineSpec(spec), ImageDecoders.standard(), null);
        DetectionData data = DetectionData.prepare(ds, spec, pipeline, ProblemLog.quiet());
        RunStore store = new RunStore(tmp.resolve("runs"));
        Path slow = DetectionStudy.runRegistered(data, spec, store, "mean-box", "Mean box (test-only)",
                MeanBoxDetector.config(64, 0.2));
        Path fast = DetectionStudy.runRegistered(data, spec, store, "mean-box", "Mean box (test-only)",
                MeanBoxDetector.config(64, 0.9));
        assertNotEquals(slow, fast, "another knob, another run folder");
        assertEquals(List.of(slow, fast).stream().sorted().toList(), Runs.find(tmp.resolve("runs")));

        Runs.Comparison c = Runs.compare(slow, fast);
        System.out.print(c);
        assertEquals(List.of("detector.learningRate: 0.2 -> 0.9"), c.specDiff());
        assertEquals(data.part(StudySpec.HELD_OUT).size(), c.images());
        assertEquals(DetectionBootstrap.METRICS, c.verdicts().stream().map(Verdict::metric).toList());
        // paired: A minus B is each run's held-out metric (as Runs reads it back) subtracted, image for image
        DetectionEstimates a = Runs.open(slow).heldOut();
        DetectionEstimates b = Runs.open(fast).heldOut();
        Verdict rsna = c.verdicts().get(DetectionBootstrap.METRICS.indexOf(DetectionBootstrap.RSNA));
        assertEquals(a.rsna().value() - b.rsna().value(),
                rsna.difference().value(), 1e-12);
        assertNotEquals(0.0, rsna.difference().value(), "the two learning rates learned different boxes");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new CompareCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                .run(List.of(slow.toString(), fast.toString())));
        assertEquals(c.toString(), out.toString(StandardCharsets.UTF_8));
    }

    /** Registers the mean box and generates a small RSNA sample of {@code images} films under {@code tmp}. */
    private static RsnaDataset registeredWithSample(Path tmp, int images) throws Exception {
        Detectors.register(MeanBoxDetector.KIND);
        SampleGenerator.generate(SampleSpec.defaults().withSeed(5).withRsna(images).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        return RsnaDataset.load(tmp.resolve("sample/rsna"), ProblemLog.quiet());
    }

    private static Map<String, List<Detection>> detect(Detector d, List<Path> files, ImagePipeline pipeline, PostProcess pp) {
        List<DetectionSample> s = files.stream()
                .map(f -> new DetectionSample(org.pneumolab.data.ImageIds.of(f), f, List.of())).toList();
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        try (var batches = new DetectionBatches(s, pipeline, BatchOptions.evaluation(8), ProblemLog.quiet())) {
            d.detectAll(batches, pp).images().forEach(x -> out.put(x.imageId(), x.detections()));
        }
        return out;
    }
}
