package org.pneumolab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorCacheTest {
    static final PipelineSpec SPEC = new PipelineSpec(32, 32, Interpolation.AREA, true, Normalization.UNIT, 1, Layout.NCHW);

    static List<Path> images(Path dir, int n) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Fixtures.png(dir.resolve("img" + i + ".png"), 64 + i, 48, 5 + i, 5, 10, 10));
        }
        return out;
    }

    @Test
    void secondPassDoesNotDecode(@TempDir Path dir) throws IOException {
        List<Path> files = images(dir.resolve("src"), 5);
        ProblemLog log = ProblemLog.quiet();
        TensorCache cache = new TensorCache(dir.resolve("cache"), log);
        ImagePipeline pipeline = new ImagePipeline(SPEC, ImageDecoders.standard(), cache);
        List<PreparedImage> first = new ArrayList<>();
        for (Path f : files) {
            first.add(pipeline.prepare(f));
        }
        assertEquals(5, pipeline.decodes());
        // A new pipeline (a new epoch, or a new notebook session) over the same cache folder.
        ImagePipeline again = new ImagePipeline(SPEC, ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), log));
        for (int i = 0; i < files.size(); i++) {
            assertEquals(first.get(i), again.prepare(files.get(i)));
        }
        assertEquals(0, again.decodes());
        // Normalisation and layout are applied after the cache: changing them reuses the entries.
        ImagePipeline otherNorm = new ImagePipeline(SPEC.withNormalization(Normalization.IMAGENET).withChannels(3),
                ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), log));
        otherNorm.prepare(files.get(0));
        assertEquals(0, otherNorm.decodes());
        // A different size is a different entry.
        ImagePipeline bigger = new ImagePipeline(new PipelineSpec(40, 40, Interpolation.AREA, true, Normalization.UNIT, 1,
                Layout.NCHW), ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), log));
        bigger.prepare(files.get(0));
        assertEquals(1, bigger.decodes());
        assertTrue(log.isEmpty(), log.problems()::toString);
    }

    @Test
    void changedSourceFileIsDecodedAgain(@TempDir Path dir) throws IOException {
        Path f = images(dir.resolve("src"), 1).get(0);
        TensorCache cache = new TensorCache(dir.resolve("cache"), ProblemLog.quiet());
        ImagePipeline p = new ImagePipeline(SPEC, ImageDecoders.standard(), cache);
        p.prepare(f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        p.prepare(f);
        assertEquals(2, p.decodes());
    }

    @Test
    void corruptEntriesAreReportedAndRebuilt(@TempDir Path dir) throws IOException {
        List<Path> files = images(dir.resolve("src"), 3);
        ProblemLog log = ProblemLog.quiet();
        TensorCache cache = new TensorCache(dir.resolve("cache"), log);
        ImagePipeline p = new ImagePipeline(SPEC, ImageDecoders.standard(), cache);
        List<PreparedImage> good = new ArrayList<>();
        for (Path f : files) {
            good.add(p.prepare(f));
        }
        Path flipped = cache.fileFor(TensorCache.keyFor(files.get(0), SPEC.resizeKey()));
        byte[] b = Files.readAllBytes(flipped);
        b[b.length / 2] ^= 0x55;
        Files.write(flipped, b);
        Path truncated = cache.fileFor(TensorCache.keyFor(files.get(1), SPEC.resizeKey()));
        byte[] t = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(t, t.length - 100));

        ImagePipeline again = new ImagePipeline(SPEC, ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), log));
        for (int i = 0; i < files.size(); i++) {
            assertEquals(good.get(i), again.prepare(files.get(i)));
        }
        assertEquals(2, again.decodes());
        assertEquals(2, log.size(), log.problems()::toString);
        assertTrue(log.problems().get(0).toString().contains("checksum mismatch"), log.problems()::toString);
        assertTrue(log.problems().get(1).toString().contains("does not match"), log.problems()::toString);
        // The rebuilt entries are good again: a third pass decodes nothing.
        ImagePipeline third = new ImagePipeline(SPEC, ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), log));
        for (Path f : files) {
            third.prepare(f);
        }
        assertEquals(0, third.decodes());
        assertEquals(2, log.size());
    }

    @Test
    void aChangedSourceReplacesItsEntryAndSaysRebuilt(@TempDir Path dir) throws IOException {
        List<Path> files = images(dir.resolve("src"), 2);
        java.io.ByteArrayOutputStream echo = new java.io.ByteArrayOutputStream();
        ProblemLog log = new ProblemLog(new java.io.PrintStream(echo, true, java.nio.charset.StandardCharsets.UTF_8));
        TensorCache cache = new TensorCache(dir.resolve("cache"), log);
        ImagePipeline p = new ImagePipeline(SPEC, ImageDecoders.standard(), cache);
        for (Path f : files) {
            p.prepare(f);
        }
        Path entry = cache.fileFor(TensorCache.keyFor(files.get(0), SPEC.resizeKey()));
        // A newer version of the first source (another image, a later time).
        Files.copy(images(dir.resolve("src2"), 2).get(1), files.get(0), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(files.get(0), FileTime.fromMillis(Files.getLastModifiedTime(files.get(0)).toMillis() + 60_000));
        assertEquals(entry, cache.fileFor(TensorCache.keyFor(files.get(0), SPEC.resizeKey())), "same slot for the new version");
        PreparedImage fresh = p.prepare(files.get(0));
        assertEquals(new ImagePipeline(SPEC, ImageDecoders.standard(), null).prepare(files.get(0)), fresh);
        assertEquals(3, p.decodes());
        try (var all = Files.walk(dir.resolve("cache"))) {
            assertEquals(2, all.filter(f -> f.toString().endsWith(".pnt")).count(), "the old entry was replaced, not left behind");
        }
        String printed = echo.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("rebuilt: " + entry) && !printed.contains("skipped"), printed);
        assertEquals(1, cache.rebuilt());
    }
}
