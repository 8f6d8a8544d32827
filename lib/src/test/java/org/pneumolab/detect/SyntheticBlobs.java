package org.pneumolab.detect;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.Layout;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.data.TensorCache;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * Seeded synthetic detection data: noise images with 1-2 bright elliptical blobs (the boxes) or,
 * for negatives, none but a thin bright stripe as a distractor. Either in memory as one batch
 * (boxes in tensor pixels, geometry from a 1024 x 1024 "original", like RSNA labels), or as PNG
 * files at twice the model size for the data package's pipeline (boxes in the files' pixels).
 */
final class SyntheticBlobs {
    static final int ORIG = 1024;

    private SyntheticBlobs() {
    }

    private record Blobs(float[][] pixels, List<List<Box>> boxes) {
    }

    private static Blobs draw(int count, int size, double negativeFraction, long seed) {
        Random r = new Random(seed);
        float[][] all = new float[count][];
        List<List<Box>> allBoxes = new ArrayList<>();
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
            all[n] = px;
            allBoxes.add(boxes);
        }
        return new Blobs(all, allBoxes);
    }

    /** One in-memory batch at the model size; predictions map back to a 1024 x 1024 original. */
    static DetectionBatch batch(int count, int size, double negativeFraction, long seed) {
        Blobs b = draw(count, size, negativeFraction, seed);
        float[] data = new float[count * size * size];
        List<String> ids = new ArrayList<>();
        List<ResizeGeometry> geometries = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            System.arraycopy(b.pixels()[n], 0, data, n * size * size, size * size);
            ids.add("img" + n);
            geometries.add(ResizeGeometry.stretch(ORIG, ORIG, size, size));
        }
        return new DetectionBatch(Nd4j.create(data, new long[] {count, 1, size, size}, 'c').castTo(DataType.FLOAT),
                b.boxes(), ids, geometries);
    }

    /**
     * The same blobs as grey PNGs of {@code 2 * size} pixels (each model pixel a 2 x 2 block, so
     * the pipeline's area resize gives the drawn pixels back), boxes in the PNGs' pixels.
     */
    static List<DetectionSample> files(Path dir, int count, int size, double negativeFraction, long seed) throws IOException {
        Blobs b = draw(count, size, negativeFraction, seed);
        Files.createDirectories(dir);
        List<DetectionSample> out = new ArrayList<>();
        int big = 2 * size;
        for (int n = 0; n < count; n++) {
            BufferedImage img = new BufferedImage(big, big, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < big; y++) {
                for (int x = 0; x < big; x++) {
                    float v = b.pixels()[n][(y / 2) * size + x / 2];
                    img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, Math.round(64 + 128 * v))));
                }
            }
            Path f = dir.resolve("img" + n + ".png");
            ImageIO.write(img, "png", f.toFile());
            out.add(new DetectionSample("img" + n, f, b.boxes().get(n).stream().map(x -> x.scale(2, 2)).toList()));
        }
        return out;
    }

    /** The pipeline for {@link #files}: grey, {@code size} px, ImageNet-normalised, cached under {@code cache}. */
    static ImagePipeline pipeline(int size, Path cache) {
        PipelineSpec spec = new PipelineSpec(size, size, Interpolation.AREA, true, Normalization.IMAGENET, 1, Layout.NCHW);
        return new ImagePipeline(spec, ImageDecoders.standard(),
                new TensorCache(cache, org.pneumolab.data.ProblemLog.quiet()));
    }

    /** Every sample as one unaugmented batch (for evaluation in tests). */
    static DetectionBatch load(List<DetectionSample> samples, ImagePipeline pipeline) throws IOException {
        return org.pneumolab.data.DetectionBatches.load(samples, pipeline);
    }
}
