package org.pneumolab.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.geom.Box;

/** The one RSNA label reader: what it keeps, what it leaves out (file, line, reason), and who is lost. */
class RsnaLabelsTest {
    @TempDir
    Path dir;

    @Test
    void keepsGoodRowsAndNamesEveryOtherWithItsLine() throws IOException {
        Path f = dir.resolve("labels.csv");
        Files.writeString(f, String.join("\n",
                "patientId,x,y,width,height,Target",
                "p1,10,20,30,40,1",            // 2 kept
                "p1,10,20,30,40,1",            // 3 exact repeat
                "n1,,,,,0",                    // 4 kept
                "n1,,,,,0",                    // 5 duplicate Target 0
                "p1,,,,,0",                    // 6 Target 0 after boxes
                "n1,1,2,3,4,1",                // 7 Target 1 after Target 0
                "lost,1,2,-3,4,1",             // 8 negative width: the patient's only row
                "\"q, 1\",5,6,7,8,1",          // 9 kept (quoted id with a comma)
                "inf,1,2,Infinity,4,1") + "\n"); // 10 not finite
        RsnaLabels l = RsnaLabels.read(f);
        assertEquals(List.of("p1", "n1", "q, 1"), List.copyOf(l.boxes().keySet()));
        assertEquals(List.of(Box.fromXywh(10, 20, 30, 40)), l.boxes().get("p1"));
        assertEquals(List.of(), l.boxes().get("n1"));
        assertEquals(9, l.rows());
        assertEquals(List.of(3L, 5L, 6L, 7L, 8L, 10L), l.problems().stream().map(p -> p.line()).toList(), l.problems().toString());
        assertTrue(l.problems().get(0).problem().startsWith("duplicate row: patient p1 has the same box on line 2"));
        assertTrue(l.problems().get(1).problem().startsWith("duplicate Target 0 row for patient n1 (line 4)"));
        assertTrue(l.problems().stream().allMatch(p -> p.file().equals(f)));
        assertEquals(Set.of("lost", "inf"), l.droppedPatients());
        assertEquals(2, l.boxCount());
    }
}
