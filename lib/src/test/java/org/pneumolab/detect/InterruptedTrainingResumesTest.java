package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.notebook.CellInterrupt;
import org.pneumolab.notebook.CellInterruptedException;

/**
 * Issue #26: Kernel > Interrupt in the middle of an epoch, then the same training call again (a
 * rerun of the notebook's training cell) resumes from the last finished epoch, says so, and ends
 * with weights bit-identical to a run that was never interrupted, the kept (best) epoch included.
 */
class InterruptedTrainingResumesTest {

    @AfterEach
    void endCell() {
        CellInterrupt.endCell();
    }

    private static DetectorTrainer.Result<RetinaNet> train(RunStore store, DetectorTrainer.Input input,
                                                           DetectorTrainer.Validation validation) throws Exception {
        var cfg = RetinaNetTrainingTest.small();
        return DetectorTrainer.train(store, "blobs", RetinaNet.create(cfg), sd -> RetinaNet.restore(cfg, sd), input,
                new DetectorTrainer.Settings(3, 8, 7), validation, "val_score");
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights(@TempDir Path tmp) throws Exception {
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        var input = new DetectorTrainer.Input(SyntheticBlobs.files(tmp.resolve("train"), 24, 64, 0.33, 1), pipeline,
                AugmentSpec.detection(), ProblemLog.quiet());
        // A validation value that depends on the weights, so the kept epoch is chosen by them.
        DetectorTrainer.Validation score = (det, epoch) -> Map.of("val_score",
                (double) (WeightsDigest.of(det.graph()).hashCode() & 0xffff));

        CellInterrupt.beginCell();
        var uninterrupted = train(new RunStore(tmp.resolve("a")), input, score);
        CellInterrupt.endCell();

        // The interrupt comes while epoch 2 runs: epoch 1's validation raises it, so the first step
        // of epoch 2 updates the model and the next checkpoint (the bar's update) stops the loop.
        RunStore store = new RunStore(tmp.resolve("b"));
        DetectorTrainer.Validation interrupting = (det, epoch) -> {
            if (epoch == 1) {
                CellInterrupt.requestIfRunning();
            }
            return score.evaluate(det, epoch);
        };
        CellInterrupt.beginCell();
        assertThrows(CellInterruptedException.class, () -> train(store, input, interrupting));
        CellInterrupt.endCell();

        PrintStream stdout = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
        DetectorTrainer.Result<RetinaNet> resumed;
        try {
            CellInterrupt.beginCell();
            resumed = train(store, input, score);
        } finally {
            CellInterrupt.endCell();
            System.setOut(stdout);
        }
        assertEquals(1, resumed.resumedFrom());
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("blobs: resumed from epoch 1 of 3"),
                "a resumed run says so: " + said);
        assertEquals(uninterrupted.keptEpoch(), resumed.keptEpoch(), uninterrupted.keptNote() + " vs " + resumed.keptNote());
        assertEquals(WeightsDigest.of(uninterrupted.detector().graph()), WeightsDigest.of(resumed.detector().graph()),
                "kept weights of the resumed run");
        var lastA = new RunStore(tmp.resolve("a")).open("blobs", configOf(tmp.resolve("a")));
        var lastB = store.open("blobs", configOf(tmp.resolve("b")));
        assertEquals(WeightsDigest.of(lastA.graph()), WeightsDigest.of(lastB.graph()), "last epoch's weights");
        // the digest sees a change of weights (so the equalities above can fail)
        assertNotEquals(WeightsDigest.of(lastA.graph()),
                WeightsDigest.of(RetinaNet.create(RetinaNetTrainingTest.small()).graph()));
    }

    private static String configOf(Path runs) throws java.io.IOException {
        return java.nio.file.Files.readString(runs.resolve("blobs/config.json"), StandardCharsets.UTF_8);
    }
}
