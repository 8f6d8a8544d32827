package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JPEG made here, wrapped by dcmtk's img2dcm, read by us, ImageIO and pydicom alike. */
class DicomImg2dcmTest {
    @TempDir
    Path tmp;

    @Test
    void img2dcmJpegBaselineMatchesImageIoAndPydicom() throws Exception {
        PythonOracle.requirePydicom();
        PythonOracle.requireTool("img2dcm");
        int w = 96;
        int h = 64;
        BufferedImage src = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                src.getRaster().setSample(x, y, 0, Math.min(255, 2 * x + y / 2 + r.nextInt(40)));
            }
        }
        Path jpg = tmp.resolve("noise.jpg");
        assertTrue(ImageIO.write(src, "jpeg", jpg.toFile()));
        Path dcm = tmp.resolve("noise.dcm");
        PythonOracle.runOrFail(List.of("img2dcm", "-i", "JPEG", jpg.toString(), dcm.toString()), 60);

        DicomFile f = DicomReader.read(dcm);
        assertEquals(TransferSyntax.JPEG_BASELINE_UID, f.transferSyntax().uid());
        assertEquals(h, f.attributes().integer("Rows").orElseThrow());
        assertEquals(w, f.attributes().integer("Columns").orElseThrow());
        Frame frame = f.firstFrame();
        BufferedImage decoded = ImageIO.read(jpg.toFile());
        double[] expected = decoded.getRaster().getPixels(0, 0, w, h, new double[w * h]);
        assertArrayEquals(expected, frame.values(), 0.0, "same JPEG, same decoder: identical samples");
        // img2dcm drops the JFIF APP0 segment, so the raw frame is the same JPEG stream minus 18 bytes
        byte[] raw = trimPadding(f.encapsulatedFirstFrame());
        assertEquals(Files.size(jpg) - 18, raw.length, "raw first frame = the JPEG without its JFIF segment");
        BufferedImage fromRaw = ImageIO.read(new java.io.ByteArrayInputStream(raw));
        assertArrayEquals(expected, fromRaw.getRaster().getPixels(0, 0, w, h, new double[w * h]), 0.0);

        Path script = PythonOracle.script("/dicom/pydicom_oracle.py", tmp);
        Path out = Files.createDirectory(tmp.resolve("oracle"));
        PythonOracle.runOrFail(List.of(PythonOracle.PYTHON.toString(), script.toString(), out.toString(), dcm.toString()), 120);
        Properties py = new Properties();
        try (Reader in = Files.newBufferedReader(out.resolve("0.properties"))) {
            py.load(in);
        }
        assertEquals("true", py.getProperty("decoded"), py.toString());
        assertEquals(TransferSyntax.JPEG_BASELINE_UID, py.getProperty("TransferSyntaxUID"));
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(out.resolve("0.f64"))).order(ByteOrder.LITTLE_ENDIAN);
        double[] pydicom = new double[bb.remaining() / 8];
        bb.asDoubleBuffer().get(pydicom);
        assertEquals(w * h, pydicom.length);
        double sum = 0;
        double max = 0;
        for (int i = 0; i < pydicom.length; i++) {
            double d = Math.abs(pydicom[i] - frame.values()[i]);
            sum += d;
            max = Math.max(max, d);
        }
        System.out.printf("img2dcm: ours vs pydicom mean |d| %.3f, max |d| %.0f%n", sum / pydicom.length, max);
        assertTrue(sum / pydicom.length <= 1.0 && max <= 12, "pydicom differs: mean " + sum / pydicom.length + " max " + max);

        BufferedImage gray = DicomImages.readGray8(dcm);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, gray.getType());
        assertEquals(w, gray.getWidth());
    }

    /** Fragments are padded to even length with a zero after the EOI marker. */
    private static byte[] trimPadding(byte[] b) {
        int n = b.length;
        while (n > 2 && !((b[n - 2] & 0xFF) == 0xFF && (b[n - 1] & 0xFF) == 0xD9)) {
            n--;
        }
        return java.util.Arrays.copyOf(b, n);
    }
}
