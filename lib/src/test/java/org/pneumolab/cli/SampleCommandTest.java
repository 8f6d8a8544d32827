package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pneumolab.synth.SampleSpec;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {

    @Test
    void writesThenSkipsWithIfMissing(@TempDir Path dir) {
        String out = dir.resolve("s").toString();
        String[] args = {"sample", "--out", out, "--seed", "3", "--rsna", "5", "--kermany", "12", "--if-missing"};
        Result first = run(args);
        assertEquals(0, first.code, first.err);
        assertTrue(first.out.contains("sample written"), first.out);
        assertTrue(Files.isRegularFile(Path.of(out, "rsna", "stage_2_train_labels.csv")));
        assertTrue(Files.isRegularFile(Path.of(out, "sample-manifest.properties")));
        Result second = run(args);
        assertEquals(0, second.code, second.err);
        assertTrue(second.out.contains("sample up to date"), second.out);
    }

    @Test
    void rsnaOfTheDefaultSizeIsTheDefaultSampleAndOtherSizesKeepItsRatio() {
        SampleCommand c = new SampleCommand();
        SampleSpec d = SampleSpec.defaults();
        assertEquals(d, SampleCommand.spec(c.parse(java.util.List.of("--rsna", Integer.toString(d.rsnaTrain())))));
        SampleSpec doubled = SampleCommand.spec(c.parse(java.util.List.of("--rsna", Integer.toString(2 * d.rsnaTrain()))));
        assertEquals(2 * d.rsnaTest(), doubled.rsnaTest());
        SampleSpec none = SampleCommand.spec(c.parse(java.util.List.of("--rsna", "0")));
        assertEquals(0, none.rsnaTrain() + none.rsnaTest());
        assertEquals(1, SampleCommand.spec(c.parse(java.util.List.of("--rsna", "2"))).rsnaTest(), "a test set is never empty");
    }

    @Test
    void badArgumentsGiveUsage() {
        Result r = run(new String[] {"sample", "--rsna", "many"});
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--rsna must be a whole number") && r.err.contains("usage: pneumo sample"), r.err);
        assertEquals(2, run(new String[] {"sample", "--bogus"}).code);
        assertEquals(2, run(new String[] {"sample", "--kermany", "-1"}).code);
    }

    @Test
    void isRegistered() {
        assertTrue(Pneumo.commands().stream().anyMatch(c -> c.name().equals("sample")));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            // the command prints its summary to System.out
            System.setOut(o);
            int code = Pneumo.run(args, o, e);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }
}
