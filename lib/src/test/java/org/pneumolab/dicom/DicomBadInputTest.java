package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed files end in a DicomException naming the file and the problem, quickly. */
class DicomBadInputTest {
    private static final Path NAME = Path.of("bad.dcm");
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    @TempDir
    Path tmp;

    /** Parses and decodes the first frame; returns the exception's problem text. */
    private static String problem(byte[] bytes) {
        DicomException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(DicomException.class, () -> {
            DicomFile f = DicomReader.parse(NAME, bytes);
            f.firstFrame();
        }));
        assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        assertEquals(NAME, e.file());
        return e.problem();
    }

    private static byte[] validImage() {
        return DicomBytes.part10(EXPLICIT_LE).text(0x00100020, "LO", "P1").grayImage(2, 2, 8)
                .element(0x7FE00010, "OB", new byte[] {1, 2, 3, 4}).bytes();
    }

    @Test
    void theValidBaseReads() throws Exception {
        Frame f = DicomReader.parse(NAME, validImage()).firstFrame();
        assertEquals(4.0, f.max());
    }

    @Test
    void emptyFile() {
        assertTrue(problem(new byte[0]).contains("empty"));
    }

    @Test
    void notDicom() {
        assertTrue(problem("hello, this is a text file and not an image at all".getBytes(StandardCharsets.US_ASCII))
                .contains("not a DICOM file"));
        assertTrue(problem(new byte[4096]).contains("not a DICOM file"));
    }

    @Test
    void missingFileIsADicomException() {
        DicomException e = assertThrows(DicomException.class, () -> DicomReader.read(tmp.resolve("nope.dcm")));
        assertTrue(e.getMessage().startsWith(tmp.resolve("nope.dcm").toString()));
    }

    @Test
    void truncatedAtManyPoints() throws Exception {
        byte[] valid = Files.readAllBytes(PythonOracle.CORPUS.resolve("MR_small.dcm"));
        for (int cut : new int[] {1, 50, 128, 131, 133, 140, 200, 500, 1000, 1500, valid.length / 2, valid.length - 1}) {
            String p = problem(Arrays.copyOf(valid, cut));
            assertTrue(!p.isBlank(), "cut at " + cut);
        }
    }

    @Test
    void lengthLongerThanTheFile() {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).header(0x00100010, "UT", 1_000_000).raw(new byte[10]).bytes();
        assertTrue(problem(b).contains("declares 1000000 bytes"), problem(b));
    }

    @Test
    void hugeDeclaredLengths() {
        byte[] pixels = DicomBytes.part10(EXPLICIT_LE).grayImage(2, 2, 8).header(0x7FE00010, "OB", 0xFFFFFFF0L).bytes();
        assertTrue(problem(pixels).contains("declares"));
        byte[] item = DicomBytes.part10(EXPLICIT_LE).header(0x00081140, "SQ", 0xFFFFFFFFL)
                .item(0xFFFEE000, 0x7FFFFFFFL).bytes();
        assertTrue(problem(item).contains("declares"));
        byte[] fragment = DicomBytes.part10(TransferSyntax.JPEG_BASELINE_UID).grayImage(2, 2, 8)
                .header(0x7FE00010, "OB", 0xFFFFFFFFL).item(0xFFFEE000, 0).item(0xFFFEE000, 0xFFFFFFF0L).bytes();
        assertTrue(problem(fragment).contains("declares"));
    }

    @Test
    void nestingTooDeep() {
        DicomBytes b = DicomBytes.part10(EXPLICIT_LE);
        for (int i = 0; i < 200; i++) {
            b.header(0x00081140, "SQ", 0xFFFFFFFFL).item(0xFFFEE000, 0xFFFFFFFFL);
        }
        assertTrue(problem(b.bytes()).contains("nested deeper than 64"));
    }

    @Test
    void undefinedLengthSequenceWithoutDelimiter() {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).header(0x00081140, "SQ", 0xFFFFFFFFL)
                .item(0xFFFEE000, 0xFFFFFFFFL).text(0x00080060, "CS", "CR").bytes();
        assertTrue(problem(b).contains("truncated"));
    }

    @Test
    void invalidVr() {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).text(0x00100020, "LO", "P1").header(0x00100030, "x!", 2).raw(new byte[2]).bytes();
        assertTrue(problem(b).contains("invalid VR"));
    }

    @Test
    void pixelDataShorterThanOneFrame() {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).grayImage(64, 64, 16).element(0x7FE00010, "OW", new byte[100]).bytes();
        assertTrue(problem(b).contains("need 8192"), problem(b));
    }

    @Test
    void multiFrameWithATenthOfItsPixelBytes() {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).text(0x00280008, "IS", "10").grayImage(64, 64, 8)
                .element(0x7FE00010, "OB", new byte[4096]).bytes();
        String p = problem(b);
        assertTrue(p.contains("10 frame(s)") && p.contains("need 40960"), p);
    }

    @Test
    void columnsThatDoNotMatchTheData() {
        byte[] data = new byte[64 * 64];
        java.util.Arrays.fill(data, (byte) 7);
        byte[] b = DicomBytes.part10(EXPLICIT_LE).grayImage(64, 60, 8).element(0x7FE00010, "OB", data).bytes();
        assertTrue(problem(b).contains("do not match the data"), problem(b));
    }

    @Test
    void zeroPaddingAfterThePixelsIsAccepted() throws Exception {
        byte[] data = new byte[64 * 64 + 128];
        java.util.Arrays.fill(data, 0, 64 * 64, (byte) 7);
        byte[] b = DicomBytes.part10(EXPLICIT_LE).grayImage(64, 64, 8).element(0x7FE00010, "OB", data).bytes();
        assertEquals(7.0, DicomReader.parse(NAME, b).firstFrame().max());
    }

    @Test
    void missingRowsOrImpossibleBits() {
        byte[] noRows = DicomBytes.part10(EXPLICIT_LE).us(0x00280011, 2).us(0x00280100, 8)
                .element(0x7FE00010, "OB", new byte[4]).bytes();
        assertTrue(problem(noRows).contains("Rows"));
        byte[] bits = DicomBytes.part10(EXPLICIT_LE).grayImage(2, 2, 8).us(0x00280100, 12)
                .element(0x7FE00010, "OB", new byte[4]).bytes();
        assertTrue(problem(bits).contains("BitsAllocated 12"));
    }

    @Test
    void noPixelData() {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).text(0x00100020, "LO", "P1").bytes();
        assertTrue(problem(b).contains("no pixel data"));
    }

    @Test
    void unsupportedTransferSyntaxesNameUidAndName() throws Exception {
        String[][] cases = {{"1.2.840.10008.1.2.4.51", "JPEG Extended"}, {"1.2.840.10008.1.2.4.57", "JPEG Lossless"},
            {"1.2.840.10008.1.2.4.70", "JPEG Lossless"}, {"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"},
            {"1.2.840.10008.1.2.4.81", "JPEG-LS Lossy"}, {"1.2.840.10008.1.2.4.90", "JPEG 2000"},
            {"1.2.840.10008.1.2.4.91", "JPEG 2000"}};
        for (String[] c : cases) {
            byte[] b = DicomBytes.part10(c[0]).grayImage(2, 2, 8).header(0x7FE00010, "OB", 0xFFFFFFFFL)
                    .item(0xFFFEE000, 0).item(0xFFFEE000, 4).raw(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0})
                    .item(0xFFFEE0DD, 0).bytes();
            String p = problem(b);
            assertTrue(p.contains(c[0]) && p.contains(c[1]) && p.contains("not supported"), p);
        }
        // and the real files of pydicom's corpus in those syntaxes
        for (String name : new String[] {"JPGExtended.dcm", "SC_rgb_jpeg_gdcm.dcm", "MR_small_jpeg_ls_lossless.dcm", "JPEG2000.dcm"}) {
            Path file = PythonOracle.CORPUS.resolve(name);
            DicomFile f = DicomReader.read(file);
            DicomException e = assertThrows(DicomException.class, f::firstFrame);
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(f.transferSyntax().uid()), e.getMessage());
        }
    }

    @Test
    void garbageInsteadOfJpeg() {
        byte[] b = DicomBytes.part10(TransferSyntax.JPEG_BASELINE_UID).grayImage(2, 2, 8).header(0x7FE00010, "OB", 0xFFFFFFFFL)
                .item(0xFFFEE000, 0).item(0xFFFEE000, 6).raw(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 1})
                .item(0xFFFEE0DD, 0).bytes();
        assertTrue(problem(b).contains("JPEG"));
    }

    @Test
    void rleWithLyingHeader() {
        byte[] frame = new byte[70];
        frame[0] = 1;
        frame[4] = 64;
        byte[] b = DicomBytes.part10(TransferSyntax.RLE_LOSSLESS_UID).grayImage(4000, 4000, 8).header(0x7FE00010, "OB", 0xFFFFFFFFL)
                .item(0xFFFEE000, 0).item(0xFFFEE000, frame.length).raw(frame).item(0xFFFEE0DD, 0).bytes();
        assertTrue(problem(b).contains("cannot hold"), problem(b));
    }

    @Test
    void truncatedDeflateStream() throws Exception {
        byte[] valid = Files.readAllBytes(PythonOracle.CORPUS.resolve("image_dfl.dcm"));
        String p = problem(Arrays.copyOf(valid, valid.length - 500));
        assertTrue(p.contains("deflate"), p);
    }

    @Test
    void headerOnlyReadStopsBeforePixels() throws Exception {
        Path file = PythonOracle.CORPUS.resolve("CT_small.dcm");
        DicomFile header = DicomReader.readHeader(file);
        assertTrue(header.headerOnly());
        assertTrue(header.hasPixelData() == false);
        assertEquals(128, header.attributes().integer("Rows").orElseThrow());
        assertEquals("CompressedSamples^CT1", header.string("PatientName").orElseThrow());
    }
}
