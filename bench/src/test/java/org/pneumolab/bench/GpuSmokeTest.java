package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPU smoke check's CPU half and its comparison, run CPU against CPU: the carry-over files
 * reproduce every recorded output within tolerance, and a changed output is caught.
 */
class GpuSmokeTest {

    @Test
    void cpuReplayOfTheCarryOverMatchesAndATamperedOutputDoesNot(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        GpuSmoke.record(dir, GpuSmoke.Sizes.quickRun(), out);
        for (String f : List.of("smoke.properties", "conv-input.bin", "conv-weight.bin", "conv-output.bin",
                "vgg16.zip", "vgg16-output.bin", "detector-batch-images.bin", "detector-batch-boxes.csv",
                "retinanet-before.sd", "retinanet-after.sd", "frcnn-before.sd", "frcnn-after.sd")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }

        List<GpuSmoke.Row> rows = GpuSmoke.compare(dir, out);
        assertEquals(8, rows.size(), log.toString(StandardCharsets.UTF_8));
        for (GpuSmoke.Row r : rows) {
            assertTrue(r.ok(), r + "\n" + log.toString(StandardCharsets.UTF_8));
        }
        // the step really moved the weights, so the update comparison compared something
        CarryOver c = CarryOver.open(dir);
        assertTrue(c.map("retinanet.step").containsKey("loss"));
        for (String name : List.of("retinanet", "frcnn")) {
            org.nd4j.autodiff.samediff.SameDiff before = org.nd4j.autodiff.samediff.SameDiff.load(dir.resolve(name + "-before.sd").toFile(), false);
            org.nd4j.autodiff.samediff.SameDiff after = org.nd4j.autodiff.samediff.SameDiff.load(dir.resolve(name + "-after.sd").toFile(), false);
            // against a "reference" that did not move, the difference is the recorded update itself
            double moved = GpuSmoke.updateDifference(before, before, after)[0];
            assertTrue(moved > 0 && Double.isFinite(moved), name + ": the recorded step left every weight where it was");
        }

        // a reference output off by 1% of its range is outside the conv tolerance
        INDArray y = c.array("conv-output");
        c.putArray("conv-output", y.add(y.amaxNumber().doubleValue() * 0.01));
        GpuSmoke.Row conv = GpuSmoke.compareConv(CarryOver.open(dir), 0);
        assertFalse(conv.ok());
        assertEquals(0.01, conv.relative(), 1e-3);
    }

    @Test
    void differencesAreRelativeToTheLargestReferenceMagnitude() {
        INDArray ref = Nd4j.createFromArray(1f, -4f, 2f);
        INDArray got = Nd4j.createFromArray(1f, -4.02f, 2.01f);
        double[] d = GpuSmoke.difference(ref, got);
        assertEquals(0.02, d[0], 1e-6);
        assertEquals(0.005, d[1], 1e-6);
        assertTrue(Double.isNaN(GpuSmoke.difference(ref, Nd4j.zeros(DataType.FLOAT, 2))[0]), "shape mismatch");

        GpuSmoke.Row same = GpuSmoke.lossRow("l", "x", Map.of("loss", 2.0), Map.of("loss", 2.001));
        assertTrue(same.ok());
        GpuSmoke.Row off = GpuSmoke.lossRow("l", "x", Map.of("loss", 2.0), Map.of("loss", 2.1));
        assertFalse(off.ok());
        assertFalse(GpuSmoke.lossRow("l", "x", Map.of("loss", 2.0), Map.of()).ok(), "a missing loss fails");
    }

    @Test
    void aFolderWithoutTheReferenceSaysWhatIsMissing(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> GpuSmoke.compare(dir, System.out));
        assertTrue(e.getMessage().contains("smoke.properties"), e.getMessage());
        assertTrue(e.getMessage().contains("record"), e.getMessage());
    }
}
