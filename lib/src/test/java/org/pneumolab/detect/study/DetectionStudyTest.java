package org.pneumolab.detect.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.TensorCache;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.RunStore;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.Submission;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * Notebook 04's study end to end on a small generated RSNA sample: the split keeps patients apart
 * and loses no image, training records every epoch, the held-out result names its split, a second
 * run reuses the finished run (same numbers, nothing trained), and the submission covers every
 * test image. (That RetinaNet clearly beats an empty submission on a generated sample, with
 * post-processing chosen on validation, is asserted in {@link RetinaNetOnSampleTest}; here 6
 * epochs only check the plumbing and the score is printed.)
 */
class DetectionStudyTest {
    @Test
    void retinaNetBeatsAnEmptySubmissionOnHeldOutAndRunsAreReused(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(7).withRsna(150).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        ProblemLog log = ProblemLog.quiet();
        DataConfig config = new DataConfig(tmp, Optional.empty(), Optional.empty(), tmp.resolve("sample"),
                tmp.resolve("cache"), tmp.resolve("runs"));
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 11).withEpochs(6);
        DetectionStudy study = DetectionStudy.open(config, spec, log);
        RsnaDataset ds = study.dataset();
        DetectionData data = study.data();
        assertTrue(log.isEmpty(), "problems: " + log.problems());

        Set<String> seen = new HashSet<>();
        for (String part : List.of(StudySpec.TRAIN, StudySpec.VAL, StudySpec.HELD_OUT)) {
            for (DetectionSample s : data.part(part)) {
                assertTrue(seen.add(s.id()), s.id() + " is in two parts");
            }
        }
        assertEquals(ds.records().size(), seen.size());

        StudyResult r = study.run(List.of(Contender.RETINANET));
        ModelOutcome o = r.outcome(Contender.RETINANET);
        double empty = RsnaMetric.evaluate(StudySpec.HELD_OUT, data.groundTruth(StudySpec.HELD_OUT), Map.of(),
                data.classes(StudySpec.HELD_OUT)).score();
        System.err.printf("RetinaNet held-out RSNA metric %.4f (AP50 %.4f) vs empty submission %.4f; %.2f s/epoch%n",
                o.heldOut().score(), o.heldOut().ap50(), empty, o.secondsPerEpoch());
        assertEquals(0.0, empty);
        assertEquals(StudySpec.HELD_OUT, o.heldOut().split());
        assertTrue(Double.isFinite(o.heldOut().score()) && o.heldOut().imagesScored() > 0, o.heldOut().toString());
        assertEquals(6, o.history().size());

        // a second run loads the finished run: same held-out numbers, nothing trained
        // (through a fresh open, as notebook 05 opens notebook 04's runs)
        StudyResult again = DetectionStudy.open(config, spec, log).run(List.of(Contender.RETINANET));
        assertTrue(again.outcome(Contender.RETINANET).reused());
        assertEquals(o.heldOut().score(), again.outcome(Contender.RETINANET).heldOut().score(), 1e-12);

        Path file = tmp.resolve("submission.csv");
        Submission sub = study.writeSubmission(r.best(), file);
        assertEquals(ds.testImages().size(), sub.predictions().size());
        assertEquals(Submission.HEADER, Files.readAllLines(file).get(0));
    }
}
