package org.pneumolab.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.KermanyDataset;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.labels.RsnaLabels;
import org.pneumolab.metrics.Submission;

/**
 * The other packages' readers (data, dicom, metrics, merged from main) accept the sample
 * without a single reported problem, and see what the generator wrote.
 */
class SampleReadsBackTest {
    private static final SampleSpec SPEC = SampleSpec.defaults().withRsna(30).withKermany(40);

    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        SampleGenerator.generate(SPEC, dir);
    }

    @Test
    void rsnaDatasetAndDicomReaderReadTheSample() throws IOException {
        ProblemLog log = ProblemLog.quiet();
        RsnaDataset ds = RsnaDataset.load(dir.resolve("rsna"), log);
        assertTrue(log.isEmpty(), log.problems().toString());
        assertEquals(30, ds.records().size());
        assertEquals(6, ds.testImages().size());
        List<RsnaPatient> plan = RsnaLayout.plan(SPEC);
        for (RsnaRecord r : ds.records()) {
            RsnaPatient p = plan.stream().filter(x -> x.patientId().equals(r.patientId())).findFirst().orElseThrow();
            assertEquals(p.rsnaClass().target(), r.target());
            assertEquals(p.rsnaClass().label(), r.cls().label());
        }
        RsnaRecord positive = ds.records().stream().filter(r -> r.target() == 1).findFirst().orElseThrow();
        BufferedImage img = DicomImages.readGray8(positive.dicom());
        assertEquals(1024, img.getWidth());
        assertEquals(1024, img.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
    }

    @Test
    void metricsReadersAcceptTestTruthAndSampleSubmission() throws IOException {
        RsnaLabels truth = RsnaLabels.read(dir.resolve("rsna").resolve(RsnaLayout.SAMPLE_TEST_LABELS));
        assertTrue(truth.problems().isEmpty(), truth.problems().toString());
        assertEquals(6, truth.boxes().size());
        Submission s = Submission.read(dir.resolve("rsna").resolve(RsnaLayout.SAMPLE_SUBMISSION));
        assertTrue(s.problems().isEmpty(), s.problems().toString());
        assertEquals(truth.boxes().keySet(), s.predictions().keySet());
    }

    @Test
    void kermanyDatasetReadsTheSample() throws IOException {
        ProblemLog log = ProblemLog.quiet();
        KermanyDataset ds = KermanyDataset.load(dir.resolve("chest_xray"), log);
        assertTrue(log.isEmpty(), log.problems().toString());
        List<KermanyImage> plan = KermanyLayout.plan(SPEC);
        assertEquals(plan.size(), ds.records().size());
        Map<String, Boolean> planned = new java.util.HashMap<>();
        plan.forEach(i -> planned.put(i.relativePath(), i.pneumonia()));
        ds.records().forEach(r -> assertEquals(planned.get(r.id()), r.label() == 1, r.id()));
        assertTrue(ds.records().stream().anyMatch(r -> r.subtype() != null && r.subtype().name().toLowerCase().contains("virus")));
    }
}
