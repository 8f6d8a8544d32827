package org.pneumolab.metrics;

import org.pneumolab.labels.DetailedClasses;
import org.pneumolab.labels.RsnaLabels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class SubmissionTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() throws IOException {
        Map<String, List<Detection>> preds = new LinkedHashMap<>();
        preds.put("a1", List.of(new Detection(Box.fromXywh(264.5, 152, 213, 379), 0.875),
                new Detection(Box.fromXywh(562, 152, 256, 453), 0.3125)));
        preds.put("b2", List.of());
        Path file = dir.resolve("sub.csv");
        Submission.of(preds).write(file);
        assertEquals("patientId,PredictionString\n"
                + "a1,0.875 264.5 152 213 379 0.3125 562 152 256 453\n"
                + "b2,\n", Files.readString(file));
        Submission back = Submission.read(file);
        assertEquals(preds, back.predictions());
        assertEquals(List.of(), back.problems());
        assertEquals(List.of("a1", "b2"), List.copyOf(back.predictions().keySet()));
    }

    @Test
    void malformedLinesAreReportedWithFileAndLineAndSkipped() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, String.join("\n",
                "patientId,PredictionString",
                "ok1,0.5 10 20 30 40",           // line 2 fine
                "short,0.5 10 20 30",            // line 3: 4 numbers
                "word,0.5 10 twenty 30 40",      // line 4: not a number
                "nan,NaN 10 20 30 40",           // line 5: not finite
                "neg,0.5 10 20 -30 40",          // line 6: negative width
                "nocomma",                       // line 7
                ",0.5 10 20 30 40",              // line 8: empty id
                "ok1,0.9 1 2 3 4",               // line 9: repeated patient
                "",                              // blank: ignored
                "ok2,"));                        // line 11 fine, no boxes
        Submission s = Submission.read(file);
        assertEquals(List.of("ok1", "ok2"), List.copyOf(s.predictions().keySet()));
        assertEquals(List.of(new Detection(Box.fromXywh(10, 20, 30, 40), 0.5)), s.predictions().get("ok1"));
        assertEquals(7, s.problems().size(), s.problems().toString());
        for (int i = 0; i < 7; i++) {
            assertTrue(s.problems().get(i).toString().startsWith(file + ":" + (i + 3) + ": "), s.problems().get(i).toString());
        }
        assertTrue(s.problems().get(0).toString().contains("groups of 5"));
        assertTrue(s.problems().get(1).toString().contains("'twenty'"));
    }

    @Test
    void wrongHeaderRejectsTheFileNamingIt() throws IOException {
        Path file = dir.resolve("nohead.csv");
        Files.writeString(file, "a1,0.5 10 20 30 40\n");
        IOException e = assertThrows(IOException.class, () -> Submission.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("lacks column 'patientId'"), e.getMessage());
    }

    @Test
    void groundTruthReader() throws IOException {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, String.join("\n",
                "patientId,x,y,width,height,Target",
                "p1,264.0,152.0,213.0,379.0,1",
                "p1,562.0,152.0,256.0,453.0,1",
                "n1,,,,,0",
                "bad,1,2,3,,1",                 // line 5: missing height
                "bad2,1,2,3,4,2",               // line 6: Target 2
                "n1b,1,2,3,4,0",                // line 7: Target 0 with a box
                "p2,1,2,3,4"));                 // line 8: 5 fields
        RsnaLabels labels = RsnaLabels.read(file);
        assertEquals(List.of(Box.fromXywh(264, 152, 213, 379), Box.fromXywh(562, 152, 256, 453)), labels.boxes().get("p1"));
        assertEquals(List.of(), labels.boxes().get("n1"));
        assertEquals(2, labels.boxes().size());
        assertEquals(4, labels.problems().size(), labels.problems().toString());
        assertTrue(labels.problems().get(0).toString().startsWith(file + ":5: 'height' is empty"), labels.problems().get(0).toString());
        assertTrue(labels.problems().get(3).toString().startsWith(file + ":8: "));
    }

    @Test
    void detailedClassReaderReportsConflicts() throws IOException {
        Path file = dir.resolve("classes.csv");
        Files.writeString(file, "patientId,class\np1,Lung Opacity\np1,Lung Opacity\nn1,No Lung Opacity / Not Normal\n"
                + "p1,Normal\nbroken\n");
        DetailedClasses c = DetailedClasses.read(file);
        // p1 is given two classes: neither can be trusted, so the patient is left out.
        assertEquals(Map.of("n1", "No Lung Opacity / Not Normal"), c.labels());
        assertEquals(2, c.problems().size());
        assertTrue(c.problems().get(0).toString().startsWith(file + ":5: "));
        assertTrue(c.problems().get(1).toString().startsWith(file + ":6: "));
    }
}
