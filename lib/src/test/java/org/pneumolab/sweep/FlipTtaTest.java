package org.pneumolab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.Layout;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.geom.ResizeGeometry;

/** Flip test-time augmentation: detections of the mirrored image, mapped back to the original pixels. */
class FlipTtaTest {
    /**
     * A 50 x 100 film into a 65 x 64 canvas, keeping the aspect: scale 0.64, content 32 x 64 at
     * padLeft 16 (the odd 33 pixels of margin put 17 on the right).
     */
    private static final ResizeGeometry G = ResizeGeometry.keepAspect(50, 100, 65, 64);

    @Test
    void aBoxDetectedOnTheMirroredImageMapsBackToTheMirroredBox() {
        assertEquals(16, G.padLeft());
        assertEquals(0.64, G.scaleX(), 1e-15);
        // The film's box (10, 20)-(20, 40) sits on the canvas at x 10*0.64+16 = 22.4 .. 28.8, y 12.8 .. 25.6;
        // on the mirrored canvas (x -> 65 - x) at 36.2 .. 42.6. The mirrored canvas has the content at
        // 65 - 16 - 32 = 17, so that box is (36.2-17)/0.64 = 30 .. 40 in the mirrored film, and
        // mirroring the 50 px wide film back gives 10 .. 20 again.
        ResizeGeometry m = G.mirrored();
        assertEquals(17, m.padLeft());
        Box onMirroredCanvas = new Box(36.2, 12.8, 42.6, 25.6);
        Box inMirroredFilm = m.toSource(onMirroredCanvas);
        assertBox(new Box(30, 20, 40, 40), inMirroredFilm);
        assertBox(new Box(10, 20, 20, 40), inMirroredFilm.mirroredX(50));
        // and the plain path agrees on where that box is
        assertBox(new Box(22.4, 12.8, 28.8, 25.6), G.toTarget(new Box(10, 20, 20, 40)));
        assertEquals(new Box(1, 2, 3, 4), new Box(1, 2, 3, 4).mirroredX(7).mirroredX(7));
    }

    @Test
    void mirroringABatchReversesTheWidthAxisInEitherLayout() {
        float[] v = new float[2 * 3 * 4]; // C=2, H=3, W=4
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        INDArray nchw = Nd4j.create(v, new long[] {1, 2, 3, 4}, 'c');
        ResizeGeometry g = ResizeGeometry.stretch(8, 6, 4, 3);
        DetectionBatch b = new DetectionBatch(nchw, List.of(List.of(new Box(0, 0, 1, 1))), List.of("x"), List.of(g));
        DetectionBatch m = b.mirrored(Layout.NCHW);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(nchw.getFloat(0, c, y, x), m.images().getFloat(0, c, y, 3 - x));
                }
            }
        }
        assertEquals(new Box(3, 0, 4, 1), m.boxes().get(0).get(0));
        INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
        DetectionBatch mh = new DetectionBatch(nhwc, List.of(List.of()), List.of("x"), List.of(g)).mirrored(Layout.NHWC);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(nhwc.getFloat(0, y, x, c), mh.images().getFloat(0, y, 3 - x, c));
                }
            }
        }
    }

    @Test
    void aDetectorThatFollowsThePixelsGivesTheSameBoxesOnTheMirroredImage() throws Exception {
        // The "detector" boxes the bright pixels of the canvas: whatever the image is mirrored to, it
        // finds the same film region, so flip TTA must give back the plain boxes.
        INDArray canvas = Nd4j.zeros(1, 1, 64, 65);
        for (int y = 20; y < 30; y++) {
            for (int x = 18; x < 27; x++) {
                canvas.putScalar(new long[] {0, 0, y, x}, 1f);
            }
        }
        RawDetector.SampleLoader loader = id -> new DetectionBatch(canvas.dup(), List.of(List.of()), List.of(id),
                List.of(G));
        List<PostProcess> seen = new ArrayList<>();
        Detector bright = new BrightBoxDetector(seen);
        List<Detection> plain = RawDetector.of(bright, loader, 300).detectRaw("film");
        List<Detection> flipped = RawDetector.flipped(bright, loader, Layout.NCHW, 300).detectRaw("film");
        assertEquals(1, plain.size());
        assertEquals(1, flipped.size());
        assertBox(plain.get(0).box(), flipped.get(0).box());
        assertEquals(plain.get(0).score(), flipped.get(0).score());
        // (18 - 16) / 0.64 = 3.125 .. (27 - 16) / 0.64 = 17.1875 across the film
        assertBox(new Box(3.125, 31.25, 17.1875, 46.875), plain.get(0).box());
        assertEquals(List.of(PostProcess.raw(300), PostProcess.raw(300)), seen, "raw settings both ways");
    }

    @Test
    void mirroredDetectionsAreCachedBesideThePlainOnes(@TempDir Path dir) throws Exception {
        SyntheticRaw data = new SyntheticRaw("p", 20, 3);
        RunIdentity run = RunIdentity.of("retinanet", "{}", "w1");
        List<String> messages = new ArrayList<>();
        RawDetectionCache cache = new RawDetectionCache(dir, messages::add);
        RawDetector mirroredView = id -> data.raw.get(id).stream()
                .map(d -> d.withBox(d.box().mirroredX(1024))).toList();
        RawDetections plain = cache.get(run, data.split("val"), data.detector());
        RawDetections mirrored = cache.get(run, data.split("val"), RawDetectionCache.View.MIRRORED, mirroredView);
        Path plainFile = cache.fileFor(run, data.split("val"));
        Path mirroredFile = cache.fileFor(run, data.split("val"), RawDetectionCache.View.MIRRORED);
        assertNotEquals(plainFile, mirroredFile);
        assertTrue(Files.exists(plainFile) && Files.exists(mirroredFile), "both views on disk, side by side");
        assertTrue(mirroredFile.getFileName().toString().startsWith("retinanet__val__hflip__"), mirroredFile.toString());
        assertEquals(plainFile.getParent(), mirroredFile.getParent());
        RawDetector never = id -> {
            throw new AssertionError("cached");
        };
        RawDetectionCache again = new RawDetectionCache(dir, messages::add);
        assertEquals(plain.detections(), again.get(run, data.split("val"), never).detections());
        assertEquals(mirrored.detections(),
                again.get(run, data.split("val"), RawDetectionCache.View.MIRRORED, never).detections());
        assertNotEquals(plain.detections(), mirrored.detections());
        // retraining (new weights) replaces both views' files, each its own
        RunIdentity retrained = RunIdentity.of("retinanet", "{}", "w2");
        cache.get(retrained, data.split("val"), data.detector());
        assertTrue(Files.exists(mirroredFile), "the plain view's rebuild leaves the mirrored file to its own view");
        cache.get(retrained, data.split("val"), RawDetectionCache.View.MIRRORED, mirroredView);
        assertTrue(!Files.exists(plainFile) && !Files.exists(mirroredFile), "stale files removed: " + messages);
    }

    private static void assertBox(Box expected, Box actual) {
        double[] e = expected.corners();
        double[] a = actual.corners();
        for (int k = 0; k < 4; k++) {
            assertEquals(e[k], a[k], 1e-9, "corner " + k + ": expected " + expected + ", got " + actual);
        }
    }

    /** Boxes the pixels above 0.5 of each image, in canvas pixels, and maps it back like our detectors do. */
    private record BrightBoxDetector(List<PostProcess> seen) implements Detector {
        public String configJson() {
            return "{}";
        }

        public String initNote() {
            return "bright pixels";
        }

        public org.nd4j.autodiff.samediff.SameDiff graph() {
            throw new UnsupportedOperationException();
        }

        public Map<String, Double> fitBatch(DetectionBatch b, long s) {
            throw new UnsupportedOperationException();
        }

        public Map<String, Double> losses(DetectionBatch b, long s) {
            throw new UnsupportedOperationException();
        }

        public List<ImageDetections> detect(DetectionBatch batch, PostProcess pp) {
            seen.add(pp);
            INDArray img = batch.images();
            int h = (int) img.size(2);
            int w = (int) img.size(3);
            int x1 = w, y1 = h, x2 = -1, y2 = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (img.getFloat(0, 0, y, x) > 0.5f) {
                        x1 = Math.min(x1, x);
                        y1 = Math.min(y1, y);
                        x2 = Math.max(x2, x);
                        y2 = Math.max(y2, y);
                    }
                }
            }
            Box onCanvas = new Box(x1, y1, x2 + 1, y2 + 1);
            return List.of(new ImageDetections(batch.ids().get(0),
                    List.of(new Detection(batch.toOriginal(0, onCanvas), 0.7))));
        }
    }
}
