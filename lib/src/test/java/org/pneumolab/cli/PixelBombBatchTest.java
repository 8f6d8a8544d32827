package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.dicom.BadDicomCorpus;

/**
 * Pixel bombs between two good files, read by {@code pneumo dicom} in a JVM with a 1 GB heap (a
 * forked process, as a user with {@code -Xmx1g} would run it): both good files are read, each
 * bomb is reported with its reason, and nothing ends the batch. Once with the default pixel
 * budget (refused from the header) and once with the budget raised out of the way, so the
 * decoders really allocate and an {@link OutOfMemoryError} has to become that file's error.
 */
class PixelBombBatchTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private Result pneumoDicom(List<String> jvmOptions, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Pneumo.class.getName());
        cmd.add("dicom");
        files.forEach(f -> cmd.add(f.toString()));
        Path out = dir.resolve("out-" + jvmOptions.size() + ".txt");
        Path err = dir.resolve("err-" + jvmOptions.size() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pneumo dicom did not finish in 2 minutes");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void bothGoodFilesAroundTheBombsAreReadUnderAOneGigabyteHeap() throws Exception {
        Path good1 = write("good1.dcm", BadDicomCorpus.rsnaLike(256, 1));
        Path jpegBomb = write("bomb-jpeg.dcm", BadDicomCorpus.jpegBomb(14000, 2));
        Path rleBomb = write("bomb-rle.dcm", BadDicomCorpus.rleBomb(14000));
        Path good2 = write("good2.dcm", BadDicomCorpus.rsnaLike(192, 3));
        List<Path> batch = List.of(good1, jpegBomb, rleBomb, good2);
        assertTrue(Files.size(jpegBomb) < 400_000 && Files.size(rleBomb) < 4_000_000);

        for (List<String> options : List.of(List.<String>of(), List.of("-Dpneumolab.maxPixels=100000000000"))) {
            Result r = pneumoDicom(options, batch);
            String label = options.isEmpty() ? "default budget" : "budget raised";
            assertEquals(1, r.exit(), label + ": " + r.err());
            assertTrue(r.out().contains("\"file\":\"" + good1 + "\"") && r.out().contains("\"file\":\"" + good2 + "\""),
                    label + ": both good files are printed: " + r.out() + r.err());
            assertEquals(2, r.out().lines().filter(l -> l.contains("\"pixels\":{")).count(), label + ": " + r.out());
            assertTrue(r.err().contains("error: " + jpegBomb + ": ") && r.err().contains("error: " + rleBomb + ": "),
                    label + ": each bomb is reported: " + r.err());
            assertFalse(r.err().contains("Exception in thread") || r.err().contains("\tat "), label + ": " + r.err());
            if (options.isEmpty()) {
                assertTrue(r.err().contains(rleBomb + ": image of 14000 x 14000 samples exceeds the pixel budget"), r.err());
            } else {
                assertTrue(r.err().contains(rleBomb + ": out of memory decoding a 14000 x 14000 image (heap limit"), r.err());
            }
            System.out.println("pixel bombs, " + label + ":\n" + r.err().strip());
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }
}
