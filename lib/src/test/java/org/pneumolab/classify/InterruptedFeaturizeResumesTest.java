package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pneumolab.notebook.CellInterrupt;
import org.pneumolab.notebook.CellInterruptedException;

/**
 * Issue #26 for the featurize pass: Kernel > Interrupt in the middle of a pass, then the same call
 * again (a rerun of the cell) goes on from the last finished chunk, says so, featurizes only what
 * was left, and writes a cache file byte for byte the one a pass in one go writes, which is also
 * the file of the old all-in-memory path ({@link FeatureCache#getOrCompute} of {@link Featurizer#extract}).
 */
class InterruptedFeaturizeResumesTest {
    private static final int N = 22;
    private static final int BATCH = 4;

    @AfterEach
    void endCell() {
        CellInterrupt.endCell();
    }

    /** The split served from any batch boundary; records each range asked for; may interrupt at one. */
    private static final class Source implements FeatureCache.Images {
        final SyntheticBlobs data;
        final List<int[]> ranges = new ArrayList<>();
        int interruptAt = -1;

        Source(SyntheticBlobs data) {
            this.data = data;
        }

        public int size() {
            return N;
        }

        public int batchSize() {
            return BATCH;
        }

        public DataSetIterator range(int from, int to) {
            ranges.add(new int[]{from, to});
            if (from == interruptAt) {
                // Kernel > Interrupt while this chunk's first batch runs: the bar's next update stops the pass
                CellInterrupt.requestIfRunning();
            }
            var images = data.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            var labels = data.oneHot().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
            return new ListDataSetIterator<>(new DataSet(images, labels).asList(), BATCH);
        }
    }

    @Test
    void anInterruptedPassResumesToTheSameFile(@TempDir Path tmp) throws Exception {
        Backbone vgg = Backbones.vgg16(32, 5);
        SyntheticBlobs data = SyntheticBlobs.generate(N, 32, 9);
        FeatureKey key = FeatureKey.of(vgg, vgg.outputVertex(), DataIdentity.ofArrays(data.images(), data.oneHot()));
        Featurizer featurizer = Featurizer.bottleneck(vgg);
        // two batches of features per chunk: chunks of images [0, 8), [8, 16), [16, 22)
        long chunkBytes = 2L * BATCH * 4 * java.util.Arrays.stream(featurizer.activationShape()).reduce(1, (a, b) -> a * b);

        // the old path: every batch in memory, one Nd4j.write
        FeatureCache whole = new FeatureCache(tmp.resolve("whole"));
        var all = new ListDataSetIterator<>(new DataSet(data.images(), data.oneHot()).asList(), BATCH);
        FeatureSet reference = whole.getOrCompute(key, () -> featurizer.extract(all, "test"));

        Source plain = new Source(data);
        FeatureCache inOneGo = new FeatureCache(tmp.resolve("one-go"), chunkBytes);
        CellInterrupt.beginCell();
        FeatureSet oneGo = inOneGo.getOrExtract(key, featurizer, plain, "test");
        CellInterrupt.endCell();
        assertEquals(3, plain.ranges.size(), "three chunks, each read on its own");
        assertEquals(-1, Files.mismatch(whole.fileFor(key), inOneGo.fileFor(key)), "chunked file = the old path's file");
        assertEquals(reference.features(), oneGo.features());
        assertEquals(reference.labels(), oneGo.labels());
        assertFalse(Files.exists(inOneGo.partialDirFor(key)), "no partial chunks left behind");

        Source interrupting = new Source(data);
        interrupting.interruptAt = 8;
        FeatureCache resumed = new FeatureCache(tmp.resolve("resumed"), chunkBytes);
        CellInterrupt.beginCell();
        assertThrows(CellInterruptedException.class, () -> resumed.getOrExtract(key, featurizer, interrupting, "test"));
        CellInterrupt.endCell();
        assertFalse(Files.exists(resumed.fileFor(key)), "an interrupted pass writes no cache file");
        assertTrue(Files.isRegularFile(resumed.partialDirFor(key).resolve("progress")), "but keeps its finished chunk");

        Source rest = new Source(data);
        int before = featurizer.batchesRun();
        PrintStream stdout = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
        FeatureSet again;
        try {
            CellInterrupt.beginCell();
            again = resumed.getOrExtract(key, featurizer, rest, "test");
        } finally {
            CellInterrupt.endCell();
            System.setOut(stdout);
        }
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("resumed featurizing test at image 8 of 22"),
                "a resumed pass says so: " + said);
        assertEquals(8, rest.ranges.get(0)[0], "the rerun starts at the first unfinished chunk");
        assertEquals(4, featurizer.batchesRun() - before, "only images 8..21 (4 batches) are featurized again");
        assertEquals(-1, Files.mismatch(inOneGo.fileFor(key), resumed.fileFor(key)), "resumed file = uninterrupted file");
        assertEquals(reference.features(), again.features());
        assertFalse(Files.exists(resumed.partialDirFor(key)), "no partial chunks left behind");

        // a damaged finished chunk is not trusted: the rerun featurizes again from the start, same bytes
        FeatureCache damaged = new FeatureCache(tmp.resolve("damaged"), chunkBytes);
        Source interruptedAgain = new Source(data);
        interruptedAgain.interruptAt = 16;
        CellInterrupt.beginCell();
        assertThrows(CellInterruptedException.class, () -> damaged.getOrExtract(key, featurizer, interruptedAgain, "test"));
        CellInterrupt.endCell();
        Path chunk0;
        try (var files = Files.list(damaged.partialDirFor(key))) {
            chunk0 = files.filter(p -> p.getFileName().toString().startsWith("chunk-")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(chunk0);
        Files.write(chunk0, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Source afterDamage = new Source(data);
        CellInterrupt.beginCell();
        damaged.getOrExtract(key, featurizer, afterDamage, "test");
        CellInterrupt.endCell();
        assertEquals(0, afterDamage.ranges.get(afterDamage.ranges.size() - 3)[0], "featurized again from image 0");
        assertEquals(-1, Files.mismatch(inOneGo.fileFor(key), damaged.fileFor(key)), "rebuilt file = uninterrupted file");

        // the comparison sees a difference: other images give another file
        SyntheticBlobs other = SyntheticBlobs.generate(N, 32, 10);
        FeatureCache changed = new FeatureCache(tmp.resolve("changed"), chunkBytes);
        CellInterrupt.beginCell();
        changed.getOrExtract(key, featurizer, new Source(other), "test");
        CellInterrupt.endCell();
        assertTrue(Files.mismatch(inOneGo.fileFor(key), changed.fileFor(key)) >= 0);
    }
}
