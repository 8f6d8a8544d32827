package org.pneumolab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.TensorCache;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.ModelOutcome;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/** Notebook 05's glue on a small generated sample with a briefly trained RetinaNet. */
class SweepStudyTest {
    @Test
    void cachesRawDetectionsPerRunAndSplitAndCoversEveryImage(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(5).withRsna(60).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        ProblemLog log = ProblemLog.quiet();
        RsnaDataset ds = RsnaDataset.load(tmp.resolve("sample/rsna"), log);
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 3).withEpochs(1);
        ImagePipeline pipeline = new ImagePipeline(DetectionData.pipelineSpec(spec.inputSize()), ImageDecoders.standard(),
                new TensorCache(tmp.resolve("cache"), log));
        DetectionData data = DetectionData.prepare(ds, spec, pipeline, log);
        RunStore runs = new RunStore(tmp.resolve("runs"));
        ModelOutcome model = DetectionStudy.run(data, spec, runs, List.of(Contender.RETINANET)).outcome(Contender.RETINANET);
        Path cacheDir = tmp.resolve("raw");

        SweepStudy study = SweepStudy.of(data, model, runs, cacheDir);
        RawDetections val = study.raw(StudySpec.VAL);
        assertEquals(data.part(StudySpec.VAL).size(), val.detections().size());
        assertTrue(val.detections().values().stream().allMatch(d -> d.size() <= SweepStudy.MAX_RAW));
        assertEquals(1, count(cacheDir));

        // Same run, same split: read back from the cache, identical boxes, no new file.
        RawDetections again = SweepStudy.of(data, model, runs, cacheDir).raw(StudySpec.VAL);
        assertEquals(val, again);
        assertEquals(1, count(cacheDir));

        // Retraining rewrites the kept model's weights: the run's identity changes and the cache is not reused.
        String before = SweepStudy.of(data, model, runs, cacheDir).run().key();
        Path w = runs.dir(model.runName()).resolve(runs.kept(model.runName()).weights());
        Files.setLastModifiedTime(w, FileTime.fromMillis(Files.getLastModifiedTime(w).toMillis() + 60_000));
        SweepStudy retrained = SweepStudy.of(data, model, runs, cacheDir);
        assertNotEquals(before, retrained.run().key());
        retrained.raw(StudySpec.VAL);
        // The retrained run's file replaces the earlier one: stale caches do not pile up.
        assertEquals(1, count(cacheDir));

        RawDetections test = retrained.rawTest(ds.testImages());
        assertEquals(ds.testImages().size(), test.detections().size());
        assertEquals(256, retrained.image(test.imageIds().get(0)).getWidth(), "test images load for overlays");

        var truth = study.groundTruth();
        for (String part : data.split().names()) {
            data.part(part).forEach(s -> assertTrue(truth.containsKey(s.id())));
        }
        List<String> examples = study.exampleIds(StudySpec.HELD_OUT, 4, 1);
        assertEquals(4, examples.size());
        long withBoxes = examples.stream().filter(id -> !truth.get(id).isEmpty()).count();
        assertTrue(withBoxes >= 1 && withBoxes <= 2, "about half the examples have boxes: " + withBoxes);

        // Flip TTA: the same run on the mirrored images, boxes back in the original pixels, cached
        // beside the plain file and read back on the next call.
        long files = count(cacheDir);
        RawDetections mirrored = retrained.rawMirrored(StudySpec.VAL);
        assertEquals(retrained.raw(StudySpec.VAL).imageIds(), mirrored.imageIds());
        assertNotEquals(retrained.raw(StudySpec.VAL).detections(), mirrored.detections(),
                "a CNN is not mirror-symmetric: the mirrored view adds information");
        for (String id : mirrored.imageIds()) {
            int width = retrained.image(id).getWidth();
            assertTrue(mirrored.detections().get(id).stream().allMatch(d -> d.box().x1() >= 0 && d.box().x2() <= width),
                    "boxes inside the original image " + id);
        }
        assertEquals(files + 1, count(cacheDir));
        assertEquals(mirrored, SweepStudy.of(data, model, runs, cacheDir).rawMirrored(StudySpec.VAL));
        assertEquals(files + 1, count(cacheDir));
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".rawdet")).count();
        }
    }
}
