package org.pneumolab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.GrayImage;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * Boxes follow the pixels. A bright rectangle is painted into dark images of random non-square
 * sizes; through both resize modes (stretch, letterbox) and through flip, scale and shift
 * augmentation, the bounding box of the bright pixels must match the box the pipeline hands out
 * within 1 px, and a box measured on the model input must come back to the painted rectangle in
 * original pixels within 1 model pixel (1 / scale original pixels).
 */
class PaintedBoxGeometryTest {
    private static final int CANVAS_W = 96;
    private static final int CANVAS_H = 80; // not square either: both axes get their own scale and padding

    private record Painted(Path file, Box box, int width, int height) {
    }

    private static List<Painted> paint(Path dir, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<Painted> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = 120 + r.nextInt(900);
            int h = 120 + r.nextInt(900);
            double canvasAspect = (double) CANVAS_W / CANVAS_H;
            if (Math.abs((double) w / h - canvasAspect) < 0.2) {
                w += 300; // clearly another shape than the canvas, so letterboxing pads
            }
            int bw = w / 5 + r.nextInt(w / 3);
            int bh = h / 5 + r.nextInt(h / 3);
            int bx = r.nextInt(w - bw);
            int by = r.nextInt(h - bh);
            Path f = Fixtures.png(dir.resolve("img" + i + ".png"), w, h, bx, by, bw, bh);
            out.add(new Painted(f, Box.fromXywh(bx, by, bw, bh), w, h));
        }
        return out;
    }

    /** The bounding box of pixels brighter than {@code threshold} (edges as pixel borders), or null. */
    private static Box bright(GrayImage img, double threshold) {
        int x1 = Integer.MAX_VALUE, y1 = Integer.MAX_VALUE, x2 = -1, y2 = -1;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (img.get(x, y) > threshold) {
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x + 1);
                    y2 = Math.max(y2, y + 1);
                }
            }
        }
        return x2 < 0 ? null : new Box(x1, y1, x2, y2);
    }

    private static void assertNear(Box expected, Box actual, double tol, String what) {
        assertTrue(actual != null, what + ": no bright pixels, expected " + expected);
        double worst = Math.max(Math.max(Math.abs(expected.x1() - actual.x1()), Math.abs(expected.y1() - actual.y1())),
                Math.max(Math.abs(expected.x2() - actual.x2()), Math.abs(expected.y2() - actual.y2())));
        assertTrue(worst <= tol, what + ": expected " + expected + ", measured " + actual + " (off by " + worst + " px)");
    }

    private static ImagePipeline pipeline(boolean keepAspect) {
        return new ImagePipeline(new PipelineSpec(CANVAS_W, CANVAS_H, Interpolation.AREA, keepAspect, Normalization.PIXELS,
                1, Layout.NCHW), ImageDecoders.standard(), null);
    }

    @Test
    void paintedRectangleMatchesItsBoxInBothResizeModesAndBackInOriginalPixels(@TempDir Path dir) throws IOException {
        List<Painted> images = paint(dir, 24, 11);
        for (boolean keepAspect : new boolean[] {false, true}) {
            ImagePipeline p = pipeline(keepAspect);
            for (Painted im : images) {
                String what = (keepAspect ? "letterbox " : "stretch ") + im.width() + "x" + im.height();
                LoadedImage l = p.load(im.file(), List.of(im.box()), AugmentSpec.none(), new Random(0));
                ResizeGeometry g = l.geometry();
                if (keepAspect) {
                    assertTrue(g.padLeft() > 0 || g.padTop() > 0, what + ": a non-square image is padded");
                    assertEquals(g.scaleX(), g.scaleY(), 0.02, what + ": one scale for both axes, up to rounding");
                }
                Box inCanvas = l.boxes().get(0);
                Box measured = bright(l.image(), 125);
                assertNear(inCanvas, measured, 1.0, what + " in the canvas");
                // back: exact for the box itself, within a model pixel for what a model would see
                assertNear(im.box(), g.toSource(inCanvas), 1e-9, what + " round trip");
                assertNear(im.box(), g.toSource(measured), 1.0 / Math.min(g.scaleX(), g.scaleY()), what + " measured, in original pixels");
            }
        }
    }

    @Test
    void paintedRectangleFollowsFlipScaleAndShift(@TempDir Path dir) throws IOException {
        List<Painted> images = paint(dir, 12, 12);
        // geometric changes only (brightness and contrast would move the threshold), strong enough to matter
        AugmentSpec geometric = new AugmentSpec(0.5, 0, 0.15, 0, 0, 0.15);
        int flipped = 0, dropped = 0, checked = 0;
        for (boolean keepAspect : new boolean[] {false, true}) {
            ImagePipeline p = pipeline(keepAspect);
            for (Painted im : images) {
                for (int seed = 0; seed < 6; seed++) {
                    String what = (keepAspect ? "letterbox " : "stretch ") + im.width() + "x" + im.height() + " seed " + seed;
                    LoadedImage plain = p.load(im.file(), List.of(im.box()), AugmentSpec.none(), new Random(0));
                    // spread seeds (java.util.Random's first draw is nearly the same for seeds 0..5)
                    LoadedImage l = p.load(im.file(), List.of(im.box()), geometric, new Random(TrainingStreamSeeds.mix(7, seed)));
                    Box measured = bright(l.image(), 125);
                    if (l.boxes().isEmpty()) {
                        dropped++;
                        assertTrue(measured == null || measured.width() <= 1.5 || measured.height() <= 1.5,
                                what + ": box dropped, yet " + measured + " is still bright");
                        continue;
                    }
                    assertNear(l.boxes().get(0), measured, 1.0, what);
                    checked++;
                    double before = plain.boxes().get(0).centreX() - CANVAS_W / 2.0;
                    double after = l.boxes().get(0).centreX() - CANVAS_W / 2.0;
                    // beyond 20 px off centre, scale (15 %) and shift (14.4 px) alone cannot change the side
                    if (Math.signum(before) != Math.signum(after) && Math.abs(before) > 20) {
                        flipped++;
                    }
                }
            }
        }
        assertTrue(flipped > 0, "some draws flip an off-centre rectangle to the other side");
        assertTrue(checked > 100, "checked " + checked + ", dropped " + dropped);
    }

    @Test
    void batchesTakeAMeasuredBoxBackToOriginalPixels(@TempDir Path dir) throws IOException {
        List<Painted> images = paint(dir, 10, 13);
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            samples.add(new DetectionSample("p" + i, images.get(i).file(), List.of(images.get(i).box())));
        }
        for (boolean keepAspect : new boolean[] {false, true}) {
            try (DetectionBatches b = new DetectionBatches(samples, pipeline(keepAspect), BatchOptions.evaluation(4),
                    ProblemLog.quiet())) {
                int seen = 0;
                while (b.hasNext()) {
                    DetectionBatch batch = b.next();
                    for (int i = 0; i < batch.size(); i++) {
                        INDArray t = batch.images();
                        float[] px = new float[CANVAS_W * CANVAS_H];
                        for (int y = 0; y < CANVAS_H; y++) {
                            for (int x = 0; x < CANVAS_W; x++) {
                                px[y * CANVAS_W + x] = t.getFloat(i, 0, y, x);
                            }
                        }
                        // what a perfect detector would report on the tensor, mapped as the detectors map it
                        Box onTensor = bright(new GrayImage(CANVAS_W, CANVAS_H, px), 125);
                        Painted im = images.get(Integer.parseInt(batch.ids().get(i).substring(1)));
                        ResizeGeometry g = batch.geometries().get(i);
                        assertNear(im.box(), batch.toOriginal(i, onTensor), 1.0 / Math.min(g.scaleX(), g.scaleY()),
                                (keepAspect ? "letterbox " : "stretch ") + batch.ids().get(i));
                        seen++;
                    }
                }
                assertEquals(images.size(), seen);
            }
        }
    }
}
