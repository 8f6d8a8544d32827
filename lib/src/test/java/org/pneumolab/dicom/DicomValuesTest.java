package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Character sets, rescale, window, MONOCHROME1 and sequences on small hand-made files. */
class DicomValuesTest {
    private static final Path NAME = Path.of("made.dcm");
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    @Test
    void textFollowsSpecificCharacterSet() throws Exception {
        byte[] latin1 = DicomBytes.part10(EXPLICIT_LE).text(0x00080005, "CS", "ISO_IR 100")
                .text(0x00100010, "PN", "Müller^Jürgen").bytes();
        assertEquals("Müller^Jürgen", DicomReader.parse(NAME, latin1).string("PatientName").orElseThrow());
        byte[] name = "Ζαχαρίας^Δημήτρης".getBytes(StandardCharsets.UTF_8);
        byte[] utf8 = DicomBytes.part10(EXPLICIT_LE).text(0x00080005, "CS", "ISO_IR 192")
                .element(0x00100010, "PN", name.length % 2 == 0 ? name : java.util.Arrays.copyOf(name, name.length + 1)).bytes();
        assertEquals("Ζαχαρίας^Δημήτρης", DicomReader.parse(NAME, utf8).string("PatientName").orElseThrow().trim());
    }

    @Test
    void rescaleWindowAndMonochrome1() throws Exception {
        // 16-bit signed pixels -1000, 0, 1000, 3000 with slope 2, intercept -10
        byte[] px = {(byte) 0x18, (byte) 0xFC, 0, 0, (byte) 0xE8, 0x03, (byte) 0xB8, 0x0B};
        byte[] b = DicomBytes.part10(EXPLICIT_LE).text(0x00280004, "CS", "MONOCHROME1").us(0x00280002, 1)
                .us(0x00280010, 2).us(0x00280011, 2).us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15)
                .us(0x00280103, 1).text(0x00281050, "DS", "0").text(0x00281051, "DS", "4001")
                .text(0x00281052, "DS", "-10").text(0x00281053, "DS", "2")
                .element(0x7FE00010, "OW", px).bytes();
        DicomFile f = DicomReader.parse(NAME, b);
        Frame frame = f.firstFrame();
        assertEquals(-2010, frame.values()[0]);
        assertEquals(-10, frame.values()[1]);
        assertEquals(1990, frame.values()[2]);
        assertEquals(5990, frame.values()[3]);
        BufferedImage img = DicomImages.toGray8(f);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        // window 0 +- 2000: -2010 -> 0, -10 -> 127, 1990 -> 254, 5990 -> 255; MONOCHROME1 inverts
        assertEquals(255, img.getRaster().getSample(0, 0, 0));
        assertEquals(255 - 127, img.getRaster().getSample(1, 0, 0));
        assertEquals(255 - 254, img.getRaster().getSample(0, 1, 0));
        assertEquals(0, img.getRaster().getSample(1, 1, 0));
    }

    @Test
    void minMaxWithoutWindowAndSequencesOfBothLengths() throws Exception {
        byte[] b = DicomBytes.part10(EXPLICIT_LE)
                .header(0x00081140, "SQ", 0xFFFFFFFFL).item(0xFFFEE000, 0xFFFFFFFFL)
                .text(0x00081150, "UI", "1.2.3").item(0xFFFEE00D, 0).item(0xFFFEE0DD, 0)
                .header(0x00082112, "SQ", 20).item(0xFFFEE000, 12).text(0x00081155, "UI", "1.2")
                .text(0x00100020, "LO", "after-sequences").grayImage(1, 3, 8)
                .element(0x7FE00010, "OB", new byte[] {50, 100, (byte) 150, 0}).bytes();
        DicomFile f = DicomReader.parse(NAME, b);
        assertEquals("after-sequences", f.string("PatientID").orElseThrow());
        DicomElement seq = f.attributes().element(0x00081140).orElseThrow();
        assertEquals("1.2.3", seq.items().get(0).string(0x00081150).orElseThrow());
        assertEquals("1.2", f.attributes().element(0x00082112).orElseThrow().items().get(0).string(0x00081155).orElseThrow());
        // Unsigned 8-bit, no rescale, no window: stored values are display values (no stretch).
        BufferedImage img = DicomImages.toGray8(f);
        assertEquals(50, img.getRaster().getSample(0, 0, 0));
        assertEquals(100, img.getRaster().getSample(1, 0, 0));
        assertEquals(150, img.getRaster().getSample(2, 0, 0));
    }

    @Test
    void sixteenBitWithoutWindowIsStretchedToItsMinMax() throws Exception {
        byte[] b = DicomBytes.part10(EXPLICIT_LE).grayImage(1, 3, 16)
                .element(0x7FE00010, "OW", new byte[] {(byte) 0xE8, 0x03, (byte) 0xD0, 0x07, (byte) 0xB8, 0x0B})
                .bytes();
        // 1000, 2000, 3000 -> min..max stretch: 0, 127.5 -> 128, 255
        BufferedImage img = DicomImages.toGray8(DicomReader.parse(NAME, b));
        assertEquals(0, img.getRaster().getSample(0, 0, 0));
        assertEquals(128, img.getRaster().getSample(1, 0, 0), 1);
        assertEquals(255, img.getRaster().getSample(2, 0, 0));
    }

    @Test
    void keywordsAndTagsAgree() throws Exception {
        DicomFile f = DicomReader.read(PythonOracle.CORPUS.resolve("CT_small.dcm"));
        assertEquals(f.attributes().string(0x00100020), f.attributes().string("PatientID"));
        assertEquals(128, f.attributes().integer("Columns").orElseThrow());
        assertTrue(f.attributes().number("RescaleSlope").isPresent());
        assertEquals(0x00280010, DicomDictionary.tag("Rows"));
    }
}
