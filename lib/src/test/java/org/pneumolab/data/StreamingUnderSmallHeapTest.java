package org.pneumolab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the data set: a child JVM with a 64 MiB heap streams an augmented
 * epoch of 2,400 images (128 px tensors: 150 MiB, more than the heap) through the tensor cache,
 * and its resident memory grows by less than 40 MiB over the last three quarters of the epoch
 * (112 MiB of tensors). ND4J's buffers live off the heap, where -Xmx does not reach, so the
 * resident size is what is measured. The control keeps every batch, as the old in-memory split
 * did, and must grow by at least 80 MiB, so the measurement can see a leak of that kind.
 */
class StreamingUnderSmallHeapTest {
    private static final int IMAGES = 2400;
    // 64 MiB of heap and 64 MiB of ND4J buffers (JavaCPP's maxbytes): neither could hold 150 MiB.
    // JavaCPP's whole-process RSS cap (by default 4 x -Xmx = 256 MiB) is switched off: a JVM with
    // ND4J's natives loaded sits near it before streaming anything, so it failed the child at
    // random (an OutOfMemoryError naming physicalBytes = 256M); growth is measured instead.
    private static final List<String> LIMITS = List.of("-Xmx64m", "-Dorg.bytedeco.javacpp.maxbytes=64m",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=0");

    private static Result child(Path images, Path cache, String mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LIMITS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StreamingProbe.class.getName());
        cmd.add(images.toString());
        cmd.add(cache.toString());
        cmd.add(mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    private record Result(int exit, String output) {
    }

    private static String summary(Result r) {
        return r.output().lines().filter(l -> l.startsWith("streamed")).findFirst().orElse(r.output());
    }

    private static long growth(Result r) {
        return Long.parseLong(r.output().lines().filter(l -> l.startsWith("rss-growth-bytes=")).findFirst()
                .orElseThrow(() -> new AssertionError("no measurement in: " + r.output()))
                .replaceAll("rss-growth-bytes=(-?\\d+).*", "$1"));
    }

    @Test
    void streamsMoreImagesThanTheHeapAndNativeCapCouldHold(@TempDir Path dir) throws Exception {
        Random r = new Random(5);
        Path images = dir.resolve("images");
        for (int i = 0; i < IMAGES; i++) {
            int w = 160 + r.nextInt(64);
            int h = 160 + r.nextInt(64);
            Fixtures.png(images.resolve(String.format("%05d.png", i)), w, h, 40, 40, 80, 100);
        }
        Result stream = child(images, dir.resolve("cache"), "stream");
        assertEquals(0, stream.exit(), stream.output());
        assertTrue(stream.output().contains("streamed " + IMAGES + " images"), stream.output());
        Result hold = child(images, dir.resolve("cache"), "hold");
        assertEquals(0, hold.exit(), hold.output());
        System.err.println("streaming child: " + summary(stream) + "\ncontrol child: " + summary(hold));
        assertTrue(growth(stream) < 40L << 20, "streaming grew by " + (growth(stream) >> 20) + " MiB: " + summary(stream));
        assertTrue(growth(hold) >= 80L << 20, "the control should grow with what it holds: " + summary(hold));
    }
}
