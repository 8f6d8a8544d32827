package org.pneumolab.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReducedJpegTest {
    private static byte[] radiograph;

    @BeforeAll
    static void makeJpeg() throws IOException {
        radiograph = jpeg(syntheticRadiograph(1024, 1024, 7), 0.9f);
    }

    @Test
    void choosesTheCoarsestScaleThatStillCoversTheTarget() {
        assertEquals(4, ReducedJpeg.scaleFor(1024, 1024, 224, 224));
        assertEquals(8, ReducedJpeg.scaleFor(1024, 1024, 128, 128));
        assertEquals(4, ReducedJpeg.scaleFor(1024, 1024, 129, 128)); // 1/8 gives 128 < 129
        assertEquals(2, ReducedJpeg.scaleFor(1024, 768, 300, 300));
        assertEquals(1, ReducedJpeg.scaleFor(300, 300, 224, 224));
        assertEquals(8, ReducedJpeg.scaleFor(1001, 1001, 126, 126)); // ceil(1001/8) = 126
    }

    @Test
    void readsTheFrameHeader() throws IOException {
        assertEquals(new JpegHeader(1024, 1024, 1), JpegHeader.parse(radiograph, "x.jpg"));
    }

    @Test
    void reducedDecodeHasTheReducedSizeAndUsesOpenCv() throws IOException {
        assertTrue(ReducedJpeg.openCvAvailable(), "OpenCV (org.bytedeco:opencv) should load on this platform");
        ReducedJpeg.Decoded d = ReducedJpeg.decodeGray(radiograph, 224, 224, "x.jpg");
        assertEquals(ReducedJpeg.Decoder.OPENCV_REDUCED, d.decoder());
        assertEquals(4, d.scale());
        assertEquals(256, d.image().getWidth());
        assertEquals(256, d.image().getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, d.image().getType());
    }

    @Test
    void reducedDecodePlusResizeIsCloseToFullDecodePlusAreaResize() throws IOException {
        BufferedImage reference = AreaResize.gray(ReducedJpeg.imageIoGray(radiograph, "x.jpg"), 224, 224);
        BufferedImage fast = ReducedJpeg.decodeGrayResized(radiograph, 224, 224, "x.jpg");
        assertEquals(224, fast.getWidth());
        assertEquals(224, fast.getHeight());
        byte[] a = pixels(reference);
        byte[] b = pixels(fast);
        double sum = 0;
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        double mean = sum / a.length;
        assertTrue(mean < 1.5, "mean abs difference " + mean);
        assertTrue(max <= 16, "max abs difference " + max);
        // A wrong orientation or row stride would be far off: check the test can see that.
        BufferedImage flipped = new BufferedImage(224, 224, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                flipped.getRaster().setSample(x, y, 0, fast.getRaster().getSample(x, 223 - y, 0));
            }
        }
        double flippedMean = 0;
        byte[] f = pixels(flipped);
        for (int i = 0; i < a.length; i++) {
            flippedMean += Math.abs((a[i] & 0xFF) - (f[i] & 0xFF));
        }
        assertTrue(flippedMean / a.length > 5 * Math.max(mean, 0.5), "test image too symmetric to catch errors");
    }

    @Test
    void areaResizeAveragesBlocks() {
        BufferedImage src = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = {0, 100, 200, 50, 10, 30, 250, 90};
        src.getRaster().setPixels(0, 0, 4, 2, v);
        BufferedImage out = AreaResize.gray(src, 2, 1);
        assertEquals(35, out.getRaster().getSample(0, 0, 0)); // (0+100+10+30)/4
        assertEquals(148, out.getRaster().getSample(1, 0, 0)); // (200+50+250+90)/4 = 147.5
    }

    @Test
    void badInputNamesTheSource() {
        IOException e = assertThrows(IOException.class,
                () -> ReducedJpeg.decodeGrayResized("not a jpeg".getBytes(), 224, 224, "case17.jpeg"));
        assertTrue(e.getMessage().startsWith("case17.jpeg: "), e.getMessage());
        byte[] noFrame = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};
        IOException e2 = assertThrows(IOException.class, () -> ReducedJpeg.decodeGray(noFrame, 8, 8, "frame 2 of a.dcm"));
        assertTrue(e2.getMessage().contains("frame 2 of a.dcm"), e2.getMessage());
    }

    /** Smooth anatomy-like shapes plus seeded noise and an asymmetric marker. */
    static BufferedImage syntheticRadiograph(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = pixels(img);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - w / 2.0) / w;
                double v = (y - h / 2.0) / h;
                double lungs = Math.exp(-((Math.abs(u) - 0.2) * (Math.abs(u) - 0.2) / 0.01 + v * v / 0.05));
                double ribs = 0.15 * Math.sin(60 * v + 3 * u * u) * (1 - lungs);
                double value = 200 - 130 * lungs + 40 * ribs + 60 * (double) y / h + 6 * r.nextGaussian();
                if (x > w * 0.8 && y < h * 0.15) {
                    value = 250; // a letter marker in one corner breaks the symmetry
                }
                px[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(value)));
            }
        }
        return img;
    }

    static byte[] jpeg(BufferedImage img, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }
}
