package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.DetectionBatches;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.data.BatchOptions;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.geom.Detection;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.metrics.Submission;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * {@code pneumo predict} on a folder of the generated sample: a RetinaNet trained for a few steps
 * is read back from its run folder alone and gives, through the CLI, exactly the predictions the
 * in-memory model gives; a broken file is reported and skipped; overlays are written.
 */
class PredictCommandTest {
    @Test
    void predictsAFolderOfTheSampleWithASavedRetinaNet(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(5).withRsna(20).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        RsnaDataset ds = RsnaDataset.load(tmp.resolve("sample/rsna"), ProblemLog.quiet());
        RetinaNetConfig cfg = RetinaNetConfig.sample(3);
        ImagePipeline pipeline = new ImagePipeline(DetectionData.pipelineSpec(cfg.inputSize()), ImageDecoders.standard(), null);
        List<DetectionSample> train = ds.records().stream().map(RsnaRecord::toSample).toList();
        RunStore store = new RunStore(tmp.resolve("runs"));
        var trained = DetectorTrainer.train(store, "retina", RetinaNet.create(cfg), sd -> RetinaNet.restore(cfg, sd),
                new DetectorTrainer.Input(train, pipeline, AugmentSpec.none(), ProblemLog.quiet()),
                new DetectorTrainer.Settings(1, 4, 3, 2), null);

        // the test images plus one broken file, in a folder of their own
        Path images = tmp.resolve("new-images");
        Files.createDirectories(images);
        for (Path f : ds.testImages()) {
            Files.copy(f, images.resolve(f.getFileName()));
        }
        Files.writeString(images.resolve("broken.dcm"), "not a DICOM file at all");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path csv = tmp.resolve("pred.csv");
        // A threshold low enough for a detector after 2 steps (focal loss starts its scores near 0.01):
        // the comparison below needs boxes to compare.
        PostProcess pp = new PostProcess(0.001, 0.3, 4, 1.0);
        int code = new PredictCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of("--run", store.dir("retina").toString(), "--out", csv.toString(), "--overlays",
                        tmp.resolve("overlays").toString(), "--threshold", "0.001", "--nms", "0.3", "--shrink", "1.0",
                        images.toString()));
        String said = out.toString(StandardCharsets.UTF_8);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, said + errors);
        assertTrue(errors.contains("broken.dcm"), errors);
        assertTrue(said.contains("1 file(s) skipped"), said);

        Submission sub = Submission.read(csv);
        assertEquals(ds.testImages().size(), sub.predictions().size());
        // the same model in memory, on the same images through the training pipeline, gives the same boxes
        List<DetectionSample> test = ds.testImages().stream()
                .map(f -> new DetectionSample(org.pneumolab.data.ImageIds.of(f), f, List.of())).toList();
        Map<String, List<Detection>> direct = new LinkedHashMap<>();
        try (var batches = new DetectionBatches(test, pipeline, BatchOptions.evaluation(8), ProblemLog.quiet())) {
            trained.detector().detectAll(batches, pp).images().forEach(d -> direct.put(d.imageId(), d.detections()));
        }
        // a comparison of empty submissions would prove nothing: some boxes must survive
        assertTrue(direct.values().stream().mapToInt(List::size).sum() > 0, "no boxes survived: " + direct);
        Path directCsv = tmp.resolve("direct.csv");
        Submission.of(direct).write(directCsv);
        assertEquals(Files.readAllLines(directCsv), Files.readAllLines(csv));
        for (Path f : ds.testImages()) {
            assertTrue(Files.size(tmp.resolve("overlays").resolve(org.pneumolab.data.ImageIds.of(f) + ".png")) > 0, f.toString());
        }
    }
}
