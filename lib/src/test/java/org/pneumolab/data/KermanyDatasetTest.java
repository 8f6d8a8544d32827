package org.pneumolab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.KermanyName.Subtype;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KermanyDatasetTest {

    @Test
    void parsesAllFourNamePatterns() {
        assertEquals(new KermanyName("IM-0115", Subtype.NORMAL, true), KermanyName.parse("IM-0115-0001.jpeg"));
        assertEquals(new KermanyName("NORMAL2-IM-1427", Subtype.NORMAL, true), KermanyName.parse("NORMAL2-IM-1427-0001.jpeg"));
        assertEquals(new KermanyName("person1", Subtype.BACTERIA, true), KermanyName.parse("person1_bacteria_1.jpeg"));
        assertEquals(new KermanyName("person10", Subtype.VIRUS, true), KermanyName.parse("person10_virus_35.jpeg"));
    }

    @Test
    void unknownPatternKeepsTheStemAsPatient() {
        assertEquals(new KermanyName("scan_42", Subtype.UNKNOWN, false), KermanyName.parse("scan_42.jpeg"));
        // Near misses must not be half-parsed into a wrong patient.
        assertFalse(KermanyName.parse("person1_fungus_1.jpeg").recognised());
        assertFalse(KermanyName.parse("IM-0115.jpeg").recognised());
    }

    static void touch(Path root, String split, String cls, String... names) throws IOException {
        Path d = Files.createDirectories(root.resolve(split).resolve(cls));
        for (String n : names) {
            Files.write(d.resolve(n), new byte[]{1});
        }
    }

    @Test
    void loadsTheFolderLayoutAndReportsOddFiles(@TempDir Path root) throws IOException {
        touch(root, "train", "NORMAL", "IM-0115-0001.jpeg", "IM-0115-0002.jpeg", "NORMAL2-IM-1427-0001.jpeg", ".DS_Store");
        touch(root, "train", "PNEUMONIA", "person1_bacteria_1.jpeg", "person1_bacteria_2.jpeg", "person10_virus_35.jpeg",
                "weird.jpeg", "notes.txt");
        touch(root, "val", "NORMAL", "IM-0200-0001.jpeg");
        touch(root, "val", "PNEUMONIA", "person20_virus_1.jpeg");
        touch(root, "test", "NORMAL", "IM-0300-0001.jpeg");
        // test/PNEUMONIA missing
        ProblemLog log = ProblemLog.quiet();
        KermanyDataset ds = KermanyDataset.load(root, log);
        assertEquals(10, ds.records().size());
        assertEquals(7, ds.split("train").size());
        KermanyRecord bact = ds.split("train").stream().filter(r -> r.image().getFileName().toString()
                .equals("person1_bacteria_2.jpeg")).findFirst().orElseThrow();
        assertEquals(1, bact.label());
        assertEquals("person1", bact.patient());
        assertEquals(Subtype.BACTERIA, bact.subtype());
        assertEquals("train/PNEUMONIA/person1_bacteria_2.jpeg", bact.id());
        String problems = log.problems().toString();
        assertTrue(problems.contains("weird.jpeg: file name matches no known pattern; patient taken as 'weird'"), problems);
        assertTrue(problems.contains("notes.txt: not an image file"), problems);
        assertTrue(problems.contains("PNEUMONIA: folder not found"), problems);
        assertEquals(3, log.size(), problems);
        assertEquals(6, ds.table().columnCount());
        assertTrue(ds.summary().contains("train normal 3, pneumonia 4, patients 5"), ds.summary());
    }

    @Test
    void resplitPoolsTrainAndValByPatientAndKeepsTest(@TempDir Path root) throws IOException {
        for (int p = 0; p < 40; p++) {
            touch(root, "train", "NORMAL", String.format("IM-%04d-0001.jpeg", p), String.format("IM-%04d-0002.jpeg", p));
            touch(root, "train", "PNEUMONIA", "person" + p + "_bacteria_1.jpeg", "person" + p + "_bacteria_2.jpeg");
        }
        touch(root, "val", "NORMAL", "IM-0900-0001.jpeg");
        touch(root, "val", "PNEUMONIA", "person900_virus_1.jpeg");
        touch(root, "test", "NORMAL", "IM-0950-0001.jpeg");
        touch(root, "test", "PNEUMONIA", "person950_virus_1.jpeg");
        KermanyDataset ds = KermanyDataset.load(root, ProblemLog.quiet());
        Split<KermanyRecord> s = ds.resplit(0.25, 7);
        assertEquals(List.of("train", "val", "test"), s.names());
        assertEquals(2, s.get("test").size());
        assertEquals(162, s.get("train").size() + s.get("val").size());
        // 41 patients per class, a quarter of each (rounded) in val, with both of their images.
        long valNormalPatients = s.get("val").stream().filter(r -> r.label() == 0).map(KermanyRecord::patient).distinct().count();
        assertEquals(10, valNormalPatients);
        for (KermanyRecord r : s.get("val")) {
            long inVal = s.get("val").stream().filter(o -> o.patient().equals(r.patient())).count();
            long inPool = ds.records().stream().filter(o -> !o.split().equals("test") && o.patient().equals(r.patient())).count();
            assertEquals(inPool, inVal, r.patient() + " was cut in two");
        }
        assertEquals(ds.resplit(0.25, 7).parts(), s.parts());
    }

    @Test
    void shippedSplitWithAPatientInTrainAndTestFailsLoudly(@TempDir Path root) throws IOException {
        touch(root, "train", "PNEUMONIA", "person5_virus_1.jpeg");
        touch(root, "test", "PNEUMONIA", "person5_virus_2.jpeg");
        touch(root, "val", "NORMAL", "IM-0001-0001.jpeg");
        KermanyDataset ds = KermanyDataset.load(root, ProblemLog.quiet());
        PatientLeakageException e = assertThrows(PatientLeakageException.class, ds::shippedSplit);
        assertTrue(e.getMessage().contains("person5 in train and test"), e.getMessage());
        assertThrows(PatientLeakageException.class, () -> ds.resplit(0.5, 1));
    }

    @Test
    void missingRootIsAClearError(@TempDir Path root) {
        IOException e = assertThrows(IOException.class, () -> KermanyDataset.load(root.resolve("nope"), ProblemLog.quiet()));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not found"), e.getMessage());
    }
}
