package org.pneumolab.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pneumolab.dicom.DicomReader;

import tech.tablesaw.api.Table;

class DicomHeaderTableTest {
    private static final Path CT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

    @Test
    void listsMetaThenDatasetWithKeywordsAndReadableValues() throws Exception {
        Table t = DicomHeaderTable.of(DicomReader.read(CT));
        assertTrue(t.stringColumn("tag").get(0).startsWith("(0002,"), "file meta first");
        int row = t.stringColumn("keyword").indexOf("Rows");
        assertEquals("128", t.stringColumn("value").get(row));
        assertEquals("US", t.stringColumn("VR").get(row));
        int pixels = t.stringColumn("keyword").indexOf("PixelData");
        assertEquals("32768 bytes", t.stringColumn("value").get(pixels));
        assertTrue(t.stringColumn("keyword").contains("(private)"), "CT_small has private tags");
    }
}
