package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.geom.Box;

/**
 * Seeded synthetic detection data: noise images with 1-2 bright elliptical blobs (the boxes) or,
 * for negatives, none but a thin bright stripe as a distractor. Boxes are returned in "original"
 * pixels of a 1024 x 1024 image, like RSNA labels.
 */
final class SyntheticBlobs {
    static final int ORIG = 1024;

    private SyntheticBlobs() {
    }

    static List<DetectionSample> make(int count, int size, double negativeFraction, long seed) {
        Random r = new Random(seed);
        List<DetectionSample> out = new ArrayList<>();
        double toOrig = (double) ORIG / size;
        for (int n = 0; n < count; n++) {
            float[] px = new float[size * size];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) (0.15 * r.nextGaussian());
            }
            List<Box> boxes = new ArrayList<>();
            if (r.nextDouble() >= negativeFraction) {
                int k = 1 + r.nextInt(2);
                for (int b = 0; b < k; b++) {
                    double w = size * (0.15 + 0.2 * r.nextDouble());
                    double h = size * (0.2 + 0.25 * r.nextDouble());
                    double x = r.nextDouble() * (size - w);
                    double y = r.nextDouble() * (size - h);
                    Box box = new Box(x, y, x + w, y + h);
                    if (boxes.stream().anyMatch(o -> o.iou(box) > 0)) {
                        continue;
                    }
                    boxes.add(box);
                    double cx = box.centreX(), cy = box.centreY();
                    for (int yy = (int) y; yy < Math.min(size, (int) (y + h) + 1); yy++) {
                        for (int xx = (int) x; xx < Math.min(size, (int) (x + w) + 1); xx++) {
                            double dx = (xx + 0.5 - cx) / (w / 2), dy = (yy + 0.5 - cy) / (h / 2);
                            if (dx * dx + dy * dy <= 1) {
                                px[yy * size + xx] += 1.0f;
                            }
                        }
                    }
                }
            } else {
                // distractor: a bright line, not an opacity
                int row = r.nextInt(size);
                for (int xx = 0; xx < size; xx++) {
                    px[row * size + xx] += 1.0f;
                }
            }
            List<Box> orig = new ArrayList<>();
            for (Box b : boxes) {
                orig.add(b.scale(toOrig, toOrig));
            }
            out.add(new DetectionSample("img" + n, Nd4j.create(px, new long[] {1, size, size}, 'c').castTo(DataType.FLOAT),
                    orig, ORIG, ORIG));
        }
        return out;
    }
}
