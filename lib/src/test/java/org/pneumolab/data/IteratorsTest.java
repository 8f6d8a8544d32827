package org.pneumolab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IteratorsTest {
    static final PipelineSpec SPEC = new PipelineSpec(16, 16, Interpolation.AREA, false, Normalization.UNIT, 3, Layout.NCHW);

    /** 10 images; label = i % 2, and the image's brightness encodes its index so we can find it in a batch. */
    static List<LabeledImage> labelled(Path dir) throws IOException {
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path f = dir.resolve("img" + i + ".png");
            Fixtures.png(f, 20, 20, 0, 0, 20, 20);
            var img = org.pneumolab.image.GrayImage.blank(20, 20);
            java.util.Arrays.fill(img.pixels(), 10 * i + 5);
            javax.imageio.ImageIO.write(img.toBufferedImage(), "png", f.toFile());
            out.add(new LabeledImage("img" + i, f, i % 2, "p" + i));
        }
        return out;
    }

    static int indexOf(DataSet ds, int row) {
        return (int) Math.round((ds.getFeatures().getDouble(row, 0, 0, 0) * 255 - 5) / 10);
    }

    static List<Integer> epochOrder(ClassificationIterator it) {
        List<Integer> order = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            for (int r = 0; r < ds.numExamples(); r++) {
                order.add(indexOf(ds, r));
            }
        }
        return order;
    }

    @Test
    void classificationShapesLabelsAndSeededEpochShuffles(@TempDir Path dir) throws IOException {
        List<LabeledImage> items = labelled(dir);
        ImagePipeline p = new ImagePipeline(SPEC, ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), ProblemLog.quiet()));
        BatchOptions opts = new BatchOptions(4, true, AugmentSpec.none(), 11, 2, 2);
        try (ClassificationIterator it = new ClassificationIterator(items, p, LabelMode.ONE_HOT, opts, ProblemLog.quiet())) {
            DataSet first = it.next();
            assertArrayEquals(new long[]{4, 3, 16, 16}, first.getFeatures().shape());
            assertArrayEquals(new long[]{4, 2}, first.getLabels().shape());
            for (int r = 0; r < 4; r++) {
                int idx = indexOf(first, r);
                assertEquals(idx % 2, first.getLabels().getDouble(r, 1), 0);
                assertEquals(1 - idx % 2, first.getLabels().getDouble(r, 0), 0);
                // Grey replicated: the three channels are equal.
                assertEquals(first.getFeatures().getDouble(r, 0, 5, 5), first.getFeatures().getDouble(r, 2, 5, 5), 0);
            }
            assertEquals(4, it.next().numExamples());
            assertEquals(2, it.next().numExamples()); // 10 = 4 + 4 + 2
            assertFalse(it.hasNext());

            it.reset();
            List<Integer> epoch1 = epochOrder(it);
            it.reset();
            List<Integer> epoch2 = epochOrder(it);
            assertEquals(10, epoch1.stream().distinct().count());
            assertNotEquals(epoch1, epoch2);
            // Same seed, new iterator: same sequence of epochs.
            try (ClassificationIterator again = new ClassificationIterator(items, p, LabelMode.ONE_HOT, opts, ProblemLog.quiet())) {
                epochOrder(again);
                again.reset();
                assertEquals(epoch1, epochOrder(again));
            }
            assertEquals(List.of("NORMAL", "PNEUMONIA"), it.getLabels());
            assertEquals(2, it.totalOutcomes());
        }
    }

    @Test
    void singleColumnLabelsAndUnshuffledOrder(@TempDir Path dir) throws IOException {
        List<LabeledImage> items = labelled(dir);
        ImagePipeline p = new ImagePipeline(SPEC.withLayout(Layout.NHWC), ImageDecoders.standard(), null);
        try (ClassificationIterator it = new ClassificationIterator(items, p, LabelMode.SINGLE, BatchOptions.evaluation(5),
                ProblemLog.quiet())) {
            DataSet ds = it.next();
            assertArrayEquals(new long[]{5, 16, 16, 3}, ds.getFeatures().shape());
            assertArrayEquals(new long[]{5, 1}, ds.getLabels().shape());
            assertArrayEquals(new float[]{0, 1, 0, 1, 0}, ds.getLabels().toFloatVector(), 0);
        }
    }

    @Test
    void badImagesAreReportedOnceAndSkippedWhileTheRunContinues(@TempDir Path dir) throws IOException {
        List<LabeledImage> items = new ArrayList<>(labelled(dir));
        Path junk = Files.writeString(dir.resolve("broken.jpeg"), "truncated download");
        items.add(2, new LabeledImage("broken", junk, 1, "pb"));
        items.add(new LabeledImage("gone", dir.resolve("missing.jpeg"), 0, "pg"));
        ProblemLog log = ProblemLog.quiet();
        ImagePipeline p = new ImagePipeline(SPEC, ImageDecoders.standard(), null);
        try (ClassificationIterator it = new ClassificationIterator(items, p, LabelMode.ONE_HOT,
                new BatchOptions(4, true, AugmentSpec.mild(), 3, 2, 2), log)) {
            int seen = 0;
            while (it.hasNext()) {
                seen += it.next().numExamples();
            }
            it.reset();
            while (it.hasNext()) {
                seen += it.next().numExamples();
            }
            assertEquals(20, seen);
            assertEquals(2, log.size(), log.problems()::toString);
            assertTrue(log.problems().toString().contains("broken.jpeg: not an image"), log.problems()::toString);
            assertTrue(log.problems().toString().contains("missing.jpeg: file not found"), log.problems()::toString);
            assertEquals(2, it.skipped().size());
        }
    }

    @Test
    void detectionBatchesCarryBoxesInTensorPixelsAndMapBack(@TempDir Path dir) throws IOException {
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = Fixtures.png(dir.resolve("d" + i + ".png"), 200, 100, 20 * i, 10, 40, 30);
            samples.add(new DetectionSample("d" + i, f, i == 4 ? List.of() : List.of(Box.fromXywh(20 * i, 10, 40, 30))));
        }
        PipelineSpec spec = new PipelineSpec(64, 64, Interpolation.AREA, true, Normalization.IMAGENET, 3, Layout.NCHW);
        ImagePipeline p = new ImagePipeline(spec, ImageDecoders.standard(), null);
        try (DetectionBatches b = new DetectionBatches(samples, p, BatchOptions.evaluation(2), ProblemLog.quiet())) {
            DetectionBatch first = b.next();
            assertArrayEquals(new long[]{2, 3, 64, 64}, first.images().shape());
            assertEquals(List.of("d0", "d1"), first.ids());
            // 200 x 100 into 64 x 64: scale 0.32, 16 px bars top and bottom.
            Box d1 = first.boxes().get(1).get(0);
            assertEquals(20 * 0.32, d1.x1(), 1e-9);
            assertEquals(16 + 10 * 0.32, d1.y1(), 1e-9);
            assertEquals(Box.fromXywh(20, 10, 40, 30).x2(), first.toOriginal(1, d1).x2(), 1e-9);
            assertEquals(Box.fromXywh(20, 10, 40, 30).y1(), first.toOriginal(1, d1).y1(), 1e-9);
            b.next();
            DetectionBatch last = b.next();
            assertEquals(List.of("d4"), last.ids());
            assertEquals(List.of(List.of()), last.boxes());
            assertFalse(b.hasNext());
        }
        // Training batches: augmented, yet each box still covers the bright object it labels.
        try (DetectionBatches b = new DetectionBatches(samples, p, BatchOptions.training(5, 9), ProblemLog.quiet())) {
            DetectionBatch batch = b.next();
            for (int r = 0; r < 5; r++) {
                for (Box box : batch.boxes().get(r)) {
                    int cx = (int) ((box.x1() + box.x2()) / 2);
                    int cy = (int) ((box.y1() + box.y2()) / 2);
                    // ImageNet-normalised 250 grey in channel 0 is about 2.1; background about -1.9.
                    assertTrue(batch.images().getDouble(r, 0, cy, cx) > 1, batch.ids().get(r) + " " + box);
                }
            }
        }
    }
}
