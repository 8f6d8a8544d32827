package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.TensorCache;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RunSpec;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.SavedDetector;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.ModelOutcome;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Submission;
import org.pneumolab.runtime.Profile;
import org.pneumolab.sweep.RawDetections;
import org.pneumolab.sweep.SweepStudy;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * A run whose best epoch is not its last: every reader applies the kept model. The validation
 * metric that picks the epoch is scripted by the test (it peaks at epoch 2 of 3), so which epoch
 * is kept does not depend on how well a tiny model learns. The study reuses the run and scores
 * epoch 2; {@code pneumo predict} on the held-out films and the sweep's raw detections, post-processed
 * with the study's settings, give exactly the boxes the study scored; the last epoch gives others.
 */
class KeptModelTest {
    @Test
    void predictAndTheSweepApplyTheKeptEpochNotTheLast(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(5).withRsna(40).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        ProblemLog log = ProblemLog.quiet();
        RsnaDataset ds = RsnaDataset.load(tmp.resolve("sample/rsna"), log);
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 3).withEpochs(3);
        ImagePipeline pipeline = new ImagePipeline(DetectionData.pipelineSpec(spec.inputSize()), ImageDecoders.standard(),
                new TensorCache(tmp.resolve("cache"), log));
        DetectionData data = DetectionData.prepare(ds, spec, pipeline, log);
        RunStore runs = new RunStore(tmp.resolve("runs"));
        Contender c = Contender.RETINANET;
        RunSpec runSpec = c.runSpec(spec, data);
        String run = runSpec.runName(c.runName());

        // The study's own run (same spec, so same folder), trained with a scripted validation metric.
        double[] script = {0.2, 0.5, 0.1};
        DetectorTrainer.train(runs, run, runSpec, c.create(spec), c.restorer(spec), data.trainingInput(StudySpec.TRAIN, spec),
                (det, epoch) -> Map.of(DetectionStudy.SELECT_BY, script[epoch - 1]));
        RunStore.Kept kept = runs.kept(run);
        assertEquals(2, kept.epoch());
        assertEquals(3, kept.completedEpochs());
        assertEquals(RunStore.BEST, kept.rule());

        ModelOutcome scored = DetectionStudy.run(data, spec, runs, List.of(c)).outcome(c);
        assertTrue(scored.reused(), "the study reuses the finished run");
        assertEquals(2, scored.keptEpoch());
        Map<String, List<Detection>> studyBoxes = scored.detectionsById();

        // The last epoch's weights give other raw scores, so the checks below can tell the two apart.
        String config = Files.readString(runs.dir(run).resolve("config.json"), StandardCharsets.UTF_8);
        Detector last = c.restorer(spec).apply(runs.open(run, config).graph());
        List<DetectionSample> heldOut = data.part(StudySpec.HELD_OUT);
        SavedDetector saved = SavedDetector.load(runs.dir(run));
        assertEquals(2, saved.kept().epoch());
        PostProcess raw = PostProcess.raw(50);
        List<Double> keptScores = rawScores(scored.detector(), data, heldOut, raw);
        assertTrue(!keptScores.equals(rawScores(last, data, heldOut, raw)),
                "epochs 2 and 3 must give different raw scores for this test to tell them apart");
        assertTrue(keptScores.equals(rawScores(saved.detector(), data, heldOut, raw)),
                "the saved detector's raw scores are those of the kept epoch 2, not of the last epoch");

        // pneumo predict on the held-out films, with the study's post-processing: the study's boxes.
        PostProcess pp = spec.post();
        List<String> argv = new ArrayList<>(List.of("--run", runs.dir(run).toString(), "--out", tmp.resolve("pred.csv").toString(),
                "--threshold", Double.toString(pp.scoreThreshold()), "--nms", Double.toString(pp.nmsIou()),
                "--max-boxes", Integer.toString(pp.maxDetections()), "--shrink", Double.toString(pp.shrink())));
        heldOut.forEach(s -> argv.add(s.image().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new PredictCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).run(argv);
        String said = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, said);
        assertTrue(said.contains("kept epoch 2 of 3"), said);
        Submission.of(studyBoxes).write(tmp.resolve("study.csv"));
        assertEquals(Files.readAllLines(tmp.resolve("study.csv")), Files.readAllLines(tmp.resolve("pred.csv")));

        // The sweep's raw detections, post-processed with the same settings: the study's boxes again.
        SweepStudy sweep = SweepStudy.of(data, scored, runs, tmp.resolve("raw"));
        assertTrue(sweep.run().key().contains("kept-e2:" + kept.weights()), sweep.run().key());
        RawDetections held = sweep.raw(StudySpec.HELD_OUT);
        Map<String, List<Detection>> swept = new LinkedHashMap<>();
        held.detections().forEach((id, d) -> swept.put(id, pp.apply(d)));
        Submission.of(swept).write(tmp.resolve("swept.csv"));
        assertEquals(Files.readAllLines(tmp.resolve("study.csv")), Files.readAllLines(tmp.resolve("swept.csv")));
    }

    private static List<Double> rawScores(Detector d, DetectionData data, List<DetectionSample> images, PostProcess raw) {
        List<Double> scores = new ArrayList<>();
        try (var batches = data.batches(images)) {
            d.detectAll(batches, raw).images().forEach(i -> i.detections().forEach(x -> scores.add(x.score())));
        }
        return scores;
    }
}
