package org.pneumolab.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.pneumolab.image.AreaResize;
import org.pneumolab.image.ReducedJpeg;

/**
 * JPEG decode + resize work: seeded synthetic gray radiographs written once to a folder (which the
 * Python peer reads too), held in memory as bytes so only decoding and resizing are timed.
 */
final class DecodeWork {
    final Path folder;
    final List<byte[]> jpegs;
    final int target;

    private DecodeWork(Path folder, List<byte[]> jpegs, int target) {
        this.folder = folder;
        this.jpegs = jpegs;
        this.target = target;
    }

    static DecodeWork create(int count, int size, int target, long seed) throws IOException {
        Path dir = Files.createTempDirectory("pneumo-bench-jpeg");
        dir.toFile().deleteOnExit();
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] jpeg = encode(radiograph(size, seed + i));
            Path f = dir.resolve(String.format("img%03d.jpg", i));
            Files.write(f, jpeg);
            f.toFile().deleteOnExit();
            all.add(jpeg);
        }
        return new DecodeWork(dir, all, target);
    }

    /** Items per second with {@code threads} workers (1 = the calling thread only). */
    double run(boolean reduced, int threads) throws Exception {
        long t = System.nanoTime();
        if (threads == 1) {
            for (int i = 0; i < jpegs.size(); i++) {
                one(reduced, i);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<BufferedImage>> fs = new ArrayList<>();
                for (int i = 0; i < jpegs.size(); i++) {
                    int k = i;
                    fs.add(pool.submit(() -> one(reduced, k)));
                }
                for (Future<BufferedImage> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
        return Workloads.perSecond(jpegs.size(), t);
    }

    private BufferedImage one(boolean reduced, int i) throws IOException {
        String name = "img" + i + ".jpg";
        return reduced ? ReducedJpeg.decodeGrayResized(jpegs.get(i), target, target, name)
                : AreaResize.gray(ReducedJpeg.imageIoGray(jpegs.get(i), name), target, target);
    }

    /** Smooth lung fields, rib stripes, a corner marker and seeded noise, like a chest film. */
    static BufferedImage radiograph(int n, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double u = (x - n / 2.0) / n;
                double v = (y - n / 2.0) / n;
                double lungs = Math.exp(-((Math.abs(u) - 0.2) * (Math.abs(u) - 0.2) / 0.01 + v * v / 0.05));
                double value = 200 - 130 * lungs + 6 * Math.sin(60 * v) * (1 - lungs) + 60.0 * y / n
                        + 6 * r.nextGaussian();
                px[y * n + x] = (byte) Math.max(0, Math.min(255, Math.round(value)));
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
