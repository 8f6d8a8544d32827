package org.pneumolab.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.dicom.DicomReader;
import org.pneumolab.dicom.DicomScan;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

import tech.tablesaw.api.Table;

class RsnaExplorerTest {
    @TempDir
    static Path dir;
    static RsnaExplorer explorer;
    static RsnaDataset data;

    @BeforeAll
    static void smallSample() throws Exception {
        SampleSpec spec = SampleSpec.defaults().withSeed(11).withRsna(40).withKermany(0).withSizes(256, 300, 400);
        SampleGenerator.generate(spec, dir);
        data = RsnaDataset.load(dir.resolve("rsna"));
        Table headers = DicomScan.scan(RsnaExplorer.trainImages(dir.resolve("rsna"))).table();
        explorer = new RsnaExplorer(data, headers, "test sample");
    }

    @Test
    void viewRatesAgreeWithTheHeadersOfEachFile() throws Exception {
        Map<String, int[]> expected = new HashMap<>();
        for (RsnaRecord r : data.records()) {
            String view = DicomReader.readHeader(r.dicom()).string("ViewPosition").orElse("(missing)");
            int[] c = expected.computeIfAbsent(view, k -> new int[2]);
            c[0]++;
            c[1] += r.target();
        }
        Table t = explorer.opacityRateBy("view");
        assertEquals(expected.size(), t.rowCount());
        for (int i = 0; i < t.rowCount(); i++) {
            int[] c = expected.get(t.stringColumn("view").get(i));
            assertEquals(c[0], t.intColumn("patients").get(i));
            assertEquals(c[1], t.intColumn("Lung Opacity").get(i));
        }
    }

    @Test
    void classBalanceAndBoxesCountEveryRecord() {
        Table t = explorer.classBalanceTable();
        assertEquals(data.records().size(), (int) t.intColumn("patients").sum());
        long boxes = data.records().stream().mapToLong(r -> r.boxes().size()).sum();
        assertTrue(boxes > 0);
        assertEquals(explorer.patients().intColumn("boxes").sum(), (double) boxes);
    }
}
