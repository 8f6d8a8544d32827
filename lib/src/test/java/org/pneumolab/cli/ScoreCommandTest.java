package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void scoresSmallFilesEndToEnd() throws Exception {
        Path labels = dir.resolve("val_labels.csv");
        Files.writeString(labels, String.join("\n",
                "patientId,x,y,width,height,Target",
                "p1,0,0,10,10,1",
                "p2,0,0,10,10,1",
                "n1,,,,,0",
                "n2,,,,,0"));
        Path sub = dir.resolve("sub.csv");
        // p1 exact (1), p2 IoU 0.5 (2/8), n1 one FP (0), n2 nothing (left out), one bad line
        Files.writeString(sub, String.join("\n",
                "patientId,PredictionString",
                "p1,0.9 0 0 10 10",
                "p2,0.8 0 0 10 5",
                "n1,0.7 0 0 10 10",
                "n2,",
                "n3,0.5 1 2 3"));
        Path classes = dir.resolve("classes.csv");
        Files.writeString(classes, "patientId,class\np1,Lung Opacity\np2,Lung Opacity\n"
                + "n1,No Lung Opacity / Not Normal\nn2,Normal\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Strict by default: the malformed line stops the command, naming file and line.
        ByteArrayOutputStream strictErr = new ByteArrayOutputStream();
        int strict = new ScoreCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(strictErr, true, StandardCharsets.UTF_8))
                .run(List.of(labels.toString(), sub.toString(), "--classes", classes.toString()));
        assertEquals(1, strict);
        assertTrue(strictErr.toString(StandardCharsets.UTF_8).contains("error: " + sub + ":6: "), strictErr.toString(StandardCharsets.UTF_8));
        int rc = new ScoreCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(labels.toString(), sub.toString(), "--classes", classes.toString(), "--lenient"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc);
        assertTrue(text.contains("dropped (--lenient): submission " + sub + ": 1 row(s) (1 patient(s) lost entirely)"), text);
        // (1 + 0.25 + 0) / 3 = 0.41667
        assertTrue(text.contains("split: val_labels"), text);
        assertTrue(text.contains("RSNA metric (mean TP/(TP+FP+FN) over IoU 0.40..0.75): 0.4167"), text);
        assertTrue(text.contains("images scored: 3 (left out, no box in truth or prediction: 1)"), text);
        // pooled: 0.9 TP (1/1, R .5), 0.8 TP at IoU > 0.5? no, 0.5 is not > 0.5: FP (1/2), 0.7 FP (1/3)
        // AP50 = 0.5 * 1 = 0.5
        assertTrue(text.contains("AP50 (IoU > 0.5, all-point interpolation): 0.5000"), text);
        assertTrue(text.matches("(?s).*Lung Opacity\\s+0\\.500 .*"), text);          // 1 FP on 2 images
        assertTrue(text.matches("(?s).*No Lung Opacity / Not Normal\\s+1\\.000 .*"), text);
        assertTrue(text.matches("(?s).*Normal\\s+0\\.000 .*"), text);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("skipped " + sub + ":6: "), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void registeredAndChecksArguments() {
        assertTrue(Pneumo.commands().stream().anyMatch(c -> c.name().equals("score")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Pneumo.run(new String[] {"score", dir.resolve("missing.csv").toString(), "x.csv"}, e, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
        assertEquals(2, Pneumo.run(new String[] {"score", "only-one.csv"}, e, e));
    }
}
