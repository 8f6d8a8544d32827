package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.labels.RsnaLabels;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.Submission;

/**
 * The table of broken CSV inputs for {@code pneumo score} (and one for {@code sweep}): strict by
 * default, each exits non-zero naming the file and line; with {@code --lenient} the command
 * scores what is left and says what it dropped. The table is printed so the exit codes can be
 * quoted.
 */
class ScoreBadInputTest {
    private static final String GOOD_LABELS = String.join("\n",
            "patientId,x,y,width,height,Target",
            "p1,0,0,10,10,1",
            "p2,0,0,10,10,1",
            "n1,,,,,0") + "\n";
    private static final String HEADER = "patientId,PredictionString\n";

    @TempDir
    Path dir;

    /** One case: the labels and submission text, the line blamed, and what --lenient does. */
    private record Case(String name, String labels, String submission, String blamed, int strictExit,
                        int lenientExit, String lenientSays) {
    }

    private record Run(int exit, String out, String err) {
    }

    private Run score(Path labels, Path sub, String... flags) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(labels.toString(), sub.toString()));
        args.addAll(List.of(flags));
        int rc = Pneumo.run(prepend("score", args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    @Test
    void everyBrokenCsvExitsNonZeroUnlessLenientAndThenSaysWhatItDropped() throws Exception {
        String sub = "sub.csv";
        String lab = "labels.csv";
        List<Case> cases = List.of(
                new Case("NaN confidence", GOOD_LABELS, HEADER + "p1,NaN 0 0 10 10\np2,0.5 0 0 10 10\nn1,\n",
                        sub + ":2:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("Infinity confidence", GOOD_LABELS, HEADER + "p1,Infinity 0 0 10 10\np2,0.5 0 0 10 10\nn1,\n",
                        sub + ":2:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("non-numeric confidence", GOOD_LABELS, HEADER + "p1,0.9 0 0 10 10\np2,high 0 0 10 10\nn1,\n",
                        sub + ":3:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("negative width", GOOD_LABELS, HEADER + "p1,0.9 0 0 -10 10\np2,0.5 0 0 10 10\nn1,\n",
                        sub + ":2:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("wrong token count", GOOD_LABELS, HEADER + "p1,0.9 0 0 10\np2,0.5 0 0 10 10\nn1,\n",
                        sub + ":2:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("too many fields", GOOD_LABELS, HEADER + "p1,0.9 0 0 10 10,extra\np2,0.5 0 0 10 10\nn1,\n",
                        sub + ":2:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("duplicate patientId", GOOD_LABELS, HEADER + "p1,0.9 0 0 10 10\np2,0.5 0 0 10 10\np1,0.1 5 5 5 5\nn1,\n",
                        sub + ":4:", 1, 0, "1 row(s) (0 patient(s)"),
                new Case("submission without its columns", GOOD_LABELS, "id,boxes\np1,0.9 0 0 10 10\n",
                        sub + ":1:", 1, 1, null),
                new Case("labels: header only", "patientId,x,y,width,height,Target\n", HEADER + "p1,0.9 0 0 10 10\n",
                        lab + ":1:", 1, 1, null),
                new Case("labels: no boxes", "patientId,x,y,width,height,Target\nn1,,,,,0\nn2,,,,,0\n",
                        HEADER + "n1,0.9 0 0 10 10\nn2,\n", lab + ":1:", 1, 0, "warning: "),
                new Case("labels: non-numeric x", GOOD_LABELS + "p3,left,0,10,10,1\n", HEADER + "p1,0.9 0 0 10 10\np2,\nn1,\n",
                        lab + ":5:", 1, 0, "labels " ),
                new Case("labels: duplicate row", GOOD_LABELS + "p1,0,0,10,10,1\n", HEADER + "p1,0.9 0 0 10 10\np2,\nn1,\n",
                        lab + ":5:", 1, 0, "1 row(s) (0 patient(s)"),
                new Case("labels: Target 0 and 1 for one patient", GOOD_LABELS + "p1,,,,,0\n",
                        HEADER + "p1,0.9 0 0 10 10\np2,\nn1,\n", lab + ":5:", 1, 0, "1 row(s) (0 patient(s)"),
                new Case("labels: wrong field count", GOOD_LABELS + "p4,1,2,3,4\n", HEADER + "p1,0.9 0 0 10 10\np2,\nn1,\n",
                        lab + ":5:", 1, 0, "1 row(s) (1 patient(s)"),
                new Case("labels: unclosed quote", GOOD_LABELS + "\"p5,1,2,3,4,1\n", HEADER + "p1,0.9 0 0 10 10\np2,\nn1,\n",
                        lab + ":5:", 1, 0, "1 row(s)"));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-40s %7s %8s%n", "case", "strict", "lenient"));
        int n = 0;
        for (Case c : cases) {
            Path caseDir = Files.createDirectories(dir.resolve("case" + n++));
            Path labels = caseDir.resolve(lab);
            Path sub2 = caseDir.resolve(sub);
            Files.writeString(labels, c.labels());
            Files.writeString(sub2, c.submission());
            Run strict = score(labels, sub2);
            Run lenient = score(labels, sub2, "--lenient");
            table.append(String.format(Locale.ROOT, "%-40s %7d %8d%n", c.name(), strict.exit(), lenient.exit()));
            String blamed = caseDir.resolve(c.blamed().substring(0, c.blamed().indexOf(':'))) + c.blamed().substring(c.blamed().indexOf(':'));
            assertEquals(c.strictExit(), strict.exit(), c.name() + ": " + strict.err());
            assertTrue(strict.err().contains(blamed), c.name() + " should name " + blamed + ": " + strict.err());
            assertFalse(strict.out().contains("RSNA metric"), c.name() + ": strict printed a score: " + strict.out());
            assertEquals(c.lenientExit(), lenient.exit(), c.name() + " --lenient: " + lenient.err());
            if (c.lenientExit() == 0) {
                assertTrue(lenient.out().contains("RSNA metric"), c.name() + ": " + lenient.out());
                String said = lenient.out() + lenient.err();
                assertTrue(said.contains(c.lenientSays()), c.name() + " --lenient should say '" + c.lenientSays() + "': " + said);
                assertTrue(lenient.err().contains(blamed), c.name() + " --lenient should list " + blamed + ": " + lenient.err());
            } else {
                assertTrue(lenient.err().contains(blamed), c.name() + " --lenient: " + lenient.err());
            }
        }
        System.out.print(table);
    }

    @Test
    void bomCrlfQuotedFieldsAndReorderedColumnsAreFine() throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "\uFEFFTarget,patientId,x,y,width,height\r\n1,\"p1\",0,0,10,10\r\n0,n1,,,,\r\n");
        Path sub = dir.resolve("sub.csv");
        Files.writeString(sub, "\uFEFF\"patientId\",\"PredictionString\"\r\n\"p1\",\"0.9 0 0 10 10\"\r\nn1,\r\n");
        Run r = score(labels, sub);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("RSNA metric (mean TP/(TP+FP+FN) over IoU 0.40..0.75): 1.0000"), r.out());
        assertFalse(r.out().contains("dropped"), r.out());
    }

    @Test
    void missingPatientsAreNamedInAWarning() throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, GOOD_LABELS);
        Path sub = dir.resolve("sub.csv");
        Files.writeString(sub, HEADER + "p1,0.9 0 0 10 10\n");
        Run r = score(labels, sub);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: 2 labelled patient(s) are missing from " + sub) && r.err().contains("p2, n1"), r.err());
        assertTrue(r.out().contains("missing from the submission, scored as empty: 2"), r.out());
    }

    @Test
    void jsonHasEveryNumberAtFullPrecisionAndAPlaceForIntervals() throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, GOOD_LABELS);
        Path sub = dir.resolve("sub.csv");
        Files.writeString(sub, HEADER + "p1,0.9 0 0 10 10\np2,0.8 0 0 10 7\nn1,0.3 1 1 4 4\nzz,0.5 a 1 1 1\n");
        Run r = score(labels, sub, "--json", "--lenient");
        assertEquals(0, r.exit(), r.err());
        JsonObject o = new JsonParser().parse(r.out()).getAsJsonObject();
        var expected = RsnaMetric.evaluate("labels", RsnaLabels.read(labels).boxes(), Submission.read(sub).predictions(),
                java.util.Map.of());
        assertEquals(expected.score(), o.get("metric").getAsDouble(), 0.0);
        assertEquals(expected.ap50(), o.get("ap50").getAsDouble(), 0.0);
        assertTrue(o.get("intervals").isJsonObject());
        assertEquals(3, o.getAsJsonObject("counts").get("labelPatients").getAsInt());
        assertEquals(1, o.getAsJsonObject("dropped").getAsJsonObject("submission").get("rows").getAsInt());
        JsonArray problems = o.getAsJsonArray("problems");
        assertEquals(1, problems.size());
        assertEquals(5, problems.get(0).getAsJsonObject().get("line").getAsInt());
        assertTrue(problems.get(0).getAsJsonObject().get("reason").getAsString().contains("'a'"));
    }

    @Test
    void sweepIsStrictToo() throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, GOOD_LABELS);
        Path val = dir.resolve("val.csv");
        Files.writeString(val, HEADER + "p1,0.9 0 0 10 10\np1,0.8 0 0 10 10\n");
        Path held = dir.resolve("held.csv");
        Files.writeString(held, HEADER + "p2,0.9 0 0 10 10\nn1,\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int rc = Pneumo.run(new String[] {"sweep", labels.toString(), val.toString(), held.toString(),
                "--out", dir.resolve("out").toString()}, new PrintStream(new ByteArrayOutputStream()), e);
        assertEquals(1, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(val + ":3: duplicate patientId p1"), err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
