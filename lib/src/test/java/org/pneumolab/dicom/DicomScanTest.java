package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

class DicomScanTest {
    @TempDir
    Path tmp;

    @Test
    void scansRecursivelyReportsAndSkipsBadFiles() throws Exception {
        Path sub = Files.createDirectories(tmp.resolve("a/b"));
        Files.copy(PythonOracle.CORPUS.resolve("CT_small.dcm"), tmp.resolve("ct.dcm"));
        Files.copy(PythonOracle.CORPUS.resolve("SC_rgb_jpeg_dcmtk.dcm"), sub.resolve("rgb.dcm"));
        Files.copy(PythonOracle.CORPUS.resolve("MR_small_implicit.dcm"), sub.resolve("mr.DCM"));
        Files.writeString(sub.resolve("broken.dcm"), "not dicom at all", StandardCharsets.US_ASCII);
        Files.writeString(tmp.resolve("notes.txt"), "ignored: not *.dcm");

        DicomScan.Result r = DicomScan.scan(tmp);
        Table t = r.table();
        assertEquals(3, t.rowCount());
        assertEquals(1, r.errors().size());
        assertEquals(sub.resolve("broken.dcm"), r.errors().get(0).file());
        assertTrue(r.errors().get(0).problem().contains("not a DICOM file"));

        int ct = t.stringColumn("path").indexOf(tmp.resolve("ct.dcm").toString());
        assertEquals("1CT1", t.stringColumn("patientId").get(ct));
        assertEquals(0.0, t.doubleColumn("age").get(ct));
        assertEquals(128, t.intColumn("rows").get(ct));
        assertEquals("CT", t.stringColumn("modality").get(ct));
        assertEquals("1.2.840.10008.1.2.1", t.stringColumn("transferSyntax").get(ct));
        assertEquals(Files.size(tmp.resolve("ct.dcm")), t.longColumn("fileSize").get(ct));
        int rgb = t.stringColumn("path").indexOf(sub.resolve("rgb.dcm").toString());
        assertEquals(24.0, t.doubleColumn("age").get(rgb));
        assertEquals("F", t.stringColumn("sex").get(rgb));
        assertEquals("YBR_FULL", t.stringColumn("photometric").get(rgb));
        assertEquals(TransferSyntax.JPEG_BASELINE_UID, t.stringColumn("transferSyntax").get(rgb));
    }

    @Test
    void agesInDicomAndRsnaForms() {
        assertEquals(58.0, DicomScan.ageYears(Optional.of("058Y")).orElseThrow());
        assertEquals(58.0, DicomScan.ageYears(Optional.of("58")).orElseThrow());
        assertEquals(0.5, DicomScan.ageYears(Optional.of("006M")).orElseThrow());
        assertEquals(14 / 365.25, DicomScan.ageYears(Optional.of("002W")).orElseThrow(), 1e-12);
        assertTrue(DicomScan.ageYears(Optional.of("old")).isEmpty());
        assertTrue(DicomScan.ageYears(Optional.empty()).isEmpty());
    }
}
