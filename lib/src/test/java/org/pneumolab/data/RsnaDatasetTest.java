package org.pneumolab.data;

import org.pneumolab.labels.DetailedClass;
import org.pneumolab.io.DataProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.geom.Box;

import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RsnaDatasetTest {
    // Rows copied in the exact shape of Kaggle's stage 2 files (ids shortened where invented).
    static final String LABELS = """
            patientId,x,y,width,height,Target
            0004cfab-14fd-4e49-80ba-63a80b6bddd6,,,,,0
            00313ee0-9eaa-42f4-b0ab-c148ed3241cd,,,,,0
            00436515-870c-4b36-a041-de91049b9ab4,264.0,152.0,213.0,379.0,1
            00436515-870c-4b36-a041-de91049b9ab4,562.0,152.0,256.0,453.0,1
            00569f44-917d-4c86-a842-81832af98c30,,,,,0
            bad-row-patient,12.0,abc,10.0,10.0,1
            00704310-78a8-4b38-8475-49f4573b2dbb,323.0,577.0,160.0,104.0,1
            """;
    static final String CLASSES = """
            patientId,class
            0004cfab-14fd-4e49-80ba-63a80b6bddd6,No Lung Opacity / Not Normal
            00313ee0-9eaa-42f4-b0ab-c148ed3241cd,No Lung Opacity / Not Normal
            00436515-870c-4b36-a041-de91049b9ab4,Lung Opacity
            00436515-870c-4b36-a041-de91049b9ab4,Lung Opacity
            00569f44-917d-4c86-a842-81832af98c30,Normal
            bad-row-patient,Lung Opacity
            00704310-78a8-4b38-8475-49f4573b2dbb,Lung Opacity
            """;

    static Path writeFixture(Path root, String labels, String classes, List<String> imagesOnDisk) throws IOException {
        Files.writeString(root.resolve(RsnaDataset.LABELS), labels);
        Files.writeString(root.resolve(RsnaDataset.CLASSES), classes);
        Path imgs = Files.createDirectories(root.resolve(RsnaDataset.TRAIN_IMAGES));
        for (String id : imagesOnDisk) {
            Files.write(imgs.resolve(id + ".dcm"), new byte[]{1});
        }
        Path test = Files.createDirectories(root.resolve(RsnaDataset.TEST_IMAGES));
        Files.write(test.resolve("000db696-cf54-4385-b10b-6b16fbb3f985.dcm"), new byte[]{1});
        return root;
    }

    @Test
    void readsKaggleFormatGroupsBoxesDedupesClassesAndReportsBadRows(@TempDir Path dir) throws IOException {
        writeFixture(dir, LABELS, CLASSES, List.of(
                "0004cfab-14fd-4e49-80ba-63a80b6bddd6", "00313ee0-9eaa-42f4-b0ab-c148ed3241cd",
                "00436515-870c-4b36-a041-de91049b9ab4", "00704310-78a8-4b38-8475-49f4573b2dbb"));
        ProblemLog log = ProblemLog.quiet();
        RsnaDataset ds = RsnaDataset.load(dir, log);

        Map<String, RsnaRecord> byId = ds.allLabelled().stream()
                .collect(Collectors.toMap(RsnaRecord::patientId, Function.identity()));
        // 5 good patients: the malformed row's patient had no other row, and its class row is then orphaned.
        assertEquals(5, byId.size());
        RsnaRecord two = byId.get("00436515-870c-4b36-a041-de91049b9ab4");
        assertEquals(DetailedClass.LUNG_OPACITY, two.cls());
        assertEquals(List.of(new Box(264, 152, 477, 531), new Box(562, 152, 818, 605)), two.boxes());
        assertEquals(1, two.target());
        RsnaRecord normal = byId.get("00569f44-917d-4c86-a842-81832af98c30");
        assertEquals(DetailedClass.NORMAL, normal.cls());
        assertEquals(0, normal.target());
        assertEquals(DetailedClass.NO_LUNG_OPACITY_NOT_NORMAL, byId.get("0004cfab-14fd-4e49-80ba-63a80b6bddd6").cls());

        // The patient without a DICOM is kept apart, not dropped from statistics.
        assertEquals(4, ds.records().size());
        assertEquals(List.of("00569f44-917d-4c86-a842-81832af98c30"),
                ds.withoutImage().stream().map(RsnaRecord::patientId).toList());
        assertEquals(1, ds.testImages().size());

        List<String> problems = log.problems().stream().map(DataProblem::toString).toList();
        assertTrue(problems.stream().anyMatch(p -> p.contains(RsnaDataset.LABELS + ":7:") && p.contains("'y' is not a number")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("bad-row-patient has a class but no row")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("1 labelled patients have no image")), problems::toString);
        assertEquals(3, problems.size(), problems::toString);
    }

    @Test
    void reportsWrongFieldCountsUnknownClassesConflictsAndBoxesOnTargetZero(@TempDir Path dir) throws IOException {
        String labels = """
                patientId,x,y,width,height,Target
                a,,,,,0
                b,1.0,2.0,3.0,4.0,0
                c,1.0,2.0,3.0,1
                d,1.0,2.0,-3.0,4.0,1
                e,,,,,2
                f,,,,,0
                """;
        String classes = """
                patientId,class
                a,Normal
                f,Normal
                f,Lung Opacity
                g,Pneumonia
                """;
        writeFixture(dir, labels, classes, List.of("a", "f"));
        ProblemLog log = ProblemLog.quiet();
        RsnaDataset ds = RsnaDataset.load(dir, log);
        assertEquals(List.of("a"), ds.records().stream().map(RsnaRecord::patientId).toList());
        String all = log.problems().toString();
        assertTrue(all.contains(":3: Target 0 row has a value in 'x'"), all);
        assertTrue(all.contains(":4: expected 6 fields, got 5"), all);
        assertTrue(all.contains(":5: box width and height must be positive"), all);
        assertTrue(all.contains(":6: Target must be 0 or 1, got '2'"), all);
        assertTrue(all.contains(":4: patient f is 'Normal' earlier and 'Lung Opacity' here"), all);
        assertTrue(all.contains(":5: unknown class 'Pneumonia'"), all);
        assertTrue(all.contains("patient f is in " + RsnaDataset.LABELS + " but has no class"), all);
    }

    @Test
    void tablesAndSummaryCountTheSameThings(@TempDir Path dir) throws IOException {
        writeFixture(dir, LABELS, CLASSES, List.of());
        RsnaDataset ds = RsnaDataset.load(dir, ProblemLog.quiet());
        Table t = ds.table();
        assertEquals(5, t.rowCount());
        assertEquals(2, t.intColumn("Target").sum(), 1e-9);
        Table boxes = ds.boxTable();
        assertEquals(3, boxes.rowCount());
        assertEquals(213.0, boxes.doubleColumn("width").get(0));
        assertTrue(ds.summary().contains("5 patients (0 with image), 2 positive with 3 boxes"), ds.summary());
        assertTrue(ds.summary().contains("2 box(es): 1 images"), ds.summary());
    }

    @Test
    void missingLabelFileNamesTheFile(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> RsnaDataset.load(dir, ProblemLog.quiet()));
        assertTrue(e.getMessage().contains(RsnaDataset.LABELS) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void headerWithoutRequiredColumnIsRejected(@TempDir Path dir) throws IOException {
        writeFixture(dir, "patientId,x,y,w,h,Target\n", CLASSES, List.of());
        IOException e = assertThrows(IOException.class, () -> RsnaDataset.load(dir, ProblemLog.quiet()));
        assertTrue(e.getMessage().contains(":1: header") && e.getMessage().contains("'width'"), e.getMessage());
    }
}
