package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomWriterTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path DCMDUMP = Path.of("/usr/bin/dcmdump");

    private static final DicomWriter.ChestRadiograph HEADER = new DicomWriter.ChestRadiograph(
            "0004cfab-14fd-4e49-80ba-63a80b6bddd6", "0004cfab-14fd-4e49-80ba-63a80b6bddd6", "F", "51", "PA",
            1024, 1024, 0.143, "2.25.1", "2.25.12", "2.25.123");

    /** A 1024x1024 gradient with a bright square, so decoded statistics are easy to check. */
    private static byte[] testJpeg() throws IOException {
        BufferedImage img = new BufferedImage(1024, 1024, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 1024; y++) {
            for (int x = 0; x < 1024; x++) {
                int g = (x / 8) + ((x >= 300 && x < 500 && y >= 600 && y < 800) ? 100 : 0);
                img.getRaster().setSample(x, y, 0, Math.min(255, g));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void writesPart10WithEncapsulatedJpegBaseline() throws IOException {
        byte[] jpeg = testJpeg();
        byte[] file = DicomWriter.toBytes(HEADER, jpeg);
        for (int i = 0; i < 128; i++) {
            assertEquals(0, file[i], "preamble byte " + i);
        }
        assertEquals("DICM", new String(file, 128, 4, StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        // (0002,0000) UL: group length covers exactly the rest of group 2
        assertEquals(0x0002, b.getShort(132));
        assertEquals(0x0000, b.getShort(134));
        assertEquals("UL", new String(file, 136, 2, StandardCharsets.US_ASCII));
        int groupLength = b.getInt(140);
        int dataSetStart = 144 + groupLength;
        assertEquals(0x0008, b.getShort(dataSetStart), "the data set starts right after group 2");
        // pixel data: the last element; undefined length, empty offset table, one even fragment, delimiter
        int tail = file.length;
        assertEquals((short) 0xFFFE, b.getShort(tail - 8));
        assertEquals((short) 0xE0DD, b.getShort(tail - 6));
        assertEquals(0, b.getInt(tail - 4));
        int fragmentLength = jpeg.length + (jpeg.length & 1);
        int fragmentStart = tail - 8 - fragmentLength;
        assertEquals(fragmentLength, b.getInt(fragmentStart - 4));
        assertEquals((short) 0xE000, b.getShort(fragmentStart - 6));
        assertEquals(0, b.getInt(fragmentStart - 12), "basic offset table is an empty item");
        assertEquals((short) 0xE000, b.getShort(fragmentStart - 14));
        assertEquals(-1, b.getInt(fragmentStart - 20), "pixel data has undefined length");
        assertEquals("OB", new String(file, fragmentStart - 24, 2, StandardCharsets.US_ASCII));
        assertEquals((short) 0x7FE0, b.getShort(fragmentStart - 28));
        assertEquals(0x0010, b.getShort(fragmentStart - 26));
        assertEquals(0, fragmentLength % 2);
        byte[] fragment = java.util.Arrays.copyOfRange(file, fragmentStart, fragmentStart + jpeg.length);
        assertArrayEquals(jpeg, fragment);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(fragment));
        assertEquals(1024, decoded.getWidth());
    }

    @Test
    void pydicomReadsAttributesAndPixels(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs Debian's /usr/bin/python3 with pydicom");
        Path f = dir.resolve(HEADER.patientId() + ".dcm");
        DicomWriter.write(f, HEADER, testJpeg());
        String script = String.join("\n",
                "import sys, pydicom",
                "d = pydicom.dcmread(sys.argv[1])",
                "a = d.pixel_array",
                "print(d.file_meta.TransferSyntaxUID, d.SOPClassUID, d.Modality, d.BodyPartExamined, d.ViewPosition,",
                "      d.PatientSex, d.PatientAge, d.PatientID, d.PatientName, d.ConversionType, d.Rows, d.Columns,",
                "      d.PhotometricInterpretation, d.BitsStored, [float(x) for x in d.PixelSpacing], sep='|')",
                "print(a.shape, a.dtype, int(a[700, 400]), int(a[100, 40]), sep='|')");
        List<String> out = run(List.of(PYTHON.toString(), "-c", script, f.toString()));
        String[] attrs = out.get(0).split("\\|");
        assertEquals(List.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.5.1.4.1.1.7", "CR", "CHEST", "PA", "F", "51",
                HEADER.patientId(), HEADER.patientId(), "WSD", "1024", "1024", "MONOCHROME2", "8", "[0.143, 0.143]"),
                List.of(attrs));
        String[] pixels = out.get(1).split("\\|");
        assertEquals("(1024, 1024)", pixels[0]);
        assertEquals("uint8", pixels[1]);
        // inside the bright square: 400/8 + 100 = 150; left edge: 40/8 = 5 (JPEG is lossy: a few levels)
        assertEquals(150, Integer.parseInt(pixels[2]), 4);
        assertEquals(5, Integer.parseInt(pixels[3]), 4);
    }

    @Test
    void dcmdumpParsesTheFile(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(DCMDUMP), "needs dcmtk's dcmdump");
        Path f = dir.resolve("x.dcm");
        DicomWriter.write(f, HEADER, testJpeg());
        String dump = String.join("\n", run(List.of(DCMDUMP.toString(), "-E", f.toString())));
        assertTrue(dump.contains("=JPEGBaseline"), dump);
        assertTrue(dump.contains("=SecondaryCaptureImageStorage"), dump);
        assertTrue(dump.contains("(0018,5101) CS [PA]"), dump);
        assertTrue(dump.contains("(0010,1010) AS [51]"), dump);
        assertTrue(dump.contains("PixelSequence #=2"), dump);
        assertTrue(dump.contains("SequenceDelimitationItem"), dump);
        assertTrue(!dump.toLowerCase().contains("error") && !dump.toLowerCase().contains("warn"), dump);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> DicomWriter.toBytes(HEADER, new byte[] {1, 2, 3, 4}));
        assertThrows(IllegalArgumentException.class, () -> new DicomWriter.ChestRadiograph("p", "p", "X", "51", "PA",
                1024, 1024, 0.14, "2.25.1", "2.25.2", "2.25.3"));
        assertThrows(IllegalArgumentException.class, () -> new DicomWriter.ChestRadiograph("p", "p", "M", "51", "LL",
                1024, 1024, 0.14, "2.25.1", "2.25.2", "2.25.3"));
        assertThrows(IllegalArgumentException.class, () -> new DicomWriter.ChestRadiograph("p", "p", "M", "51", "AP",
                1024, 1024, 0.14, "2.25.a", "2.25.2", "2.25.3"));
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(0, rc, "exit status of " + command.get(0) + ":\n" + text);
        return text.lines().toList();
    }
}
