package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.metrics.Submission;

class SweepCommandTest {
    @Test
    void sweepsRawSubmissionsAndWritesTableChartsAndSubmission(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, String.join("\n", "patientId,x,y,width,height,Target",
                "v1,100,100,200,200,1", "v2,,,,,0", "h1,100,100,200,200,1", "h2,,,,,0", ""));
        Path val = dir.resolve("val.csv");
        // v1: the true box at 0.3 and a 12% larger copy at 0.25; v2: a false positive at 0.1.
        Files.writeString(val, "patientId,PredictionString\nv1,0.3 100 100 200 200 0.25 88 88 224 224\n"
                + "v2,0.1 500 500 50 50\n");
        Path held = dir.resolve("heldout.csv");
        Files.writeString(held, "patientId,PredictionString\nh1,0.5 110 110 200 200\nh2,\n");
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "patientId,PredictionString\nt1,0.9 10 10 100 100 0.01 10 10 100 100\nt2,\n");
        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        SweepCommand c = new SweepCommand(new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        int rc = c.run(List.of(labels.toString(), val.toString(), held.toString(), "--test", test.toString(),
                "--out", out.toString()));
        assertEquals(0, rc);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("chosen on val") && text.contains("heldout"), text);
        assertTrue(text.contains("RSNA metric [95% CI]") && text.contains("n images"), "held-out intervals table: " + text);
        assertTrue(text.contains("paired bootstrap"), "a generated verdict per comparison: " + text);
        List<String> table = Files.readAllLines(out.resolve("sweep_val.csv"));
        assertEquals(1001, table.size());
        assertEquals("score_threshold,nms_iou,shrink,max_boxes,rsna_metric_val", table.get(0));
        for (String f : List.of("report.txt", "heatmap_threshold_x_nms.png", "metric_vs_shrink.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Submission s = Submission.read(out.resolve("submission.csv"));
        assertEquals(List.of("t1", "t2"), List.copyOf(s.predictions().keySet()));
        assertEquals(1, s.predictions().get("t1").size(), "the 0.01 duplicate is gone at any chosen threshold");
        assertEquals(0, s.predictions().get("t2").size());

        // --json: the same numbers at full precision, a place for intervals, nothing dropped.
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertEquals(0, new SweepCommand(new PrintStream(json, true, StandardCharsets.UTF_8), System.err)
                .run(List.of(labels.toString(), val.toString(), held.toString(), "--out", out.toString(), "--json")));
        com.google.gson.JsonObject o = new com.google.gson.JsonParser().parse(json.toString(StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals("val", o.get("validationSplit").getAsString());
        var rows = o.getAsJsonArray("settings");
        assertTrue(rows.size() >= 2);
        var chosen = rows.get(rows.size() - 1).getAsJsonObject();
        double metric = chosen.getAsJsonObject("heldOut").get("metric").getAsDouble();
        assertTrue(metric >= 0 && metric <= 1);
        // every row's metric on both splits carries its interval, and it brackets the point estimate
        for (var row : rows) {
            for (String split : List.of("validation", "heldOut")) {
                var m = row.getAsJsonObject().getAsJsonObject(split);
                var ci = m.getAsJsonObject("intervals").getAsJsonObject("RSNA metric");
                double v = m.get("metric").getAsDouble();
                assertEquals(v, ci.get("value").getAsDouble(), 1e-12, split);
                assertTrue(ci.get("lo").getAsDouble() <= v && v <= ci.get("hi").getAsDouble(), split + ": " + ci);
                assertEquals(2, m.getAsJsonObject("intervals").get("images").getAsInt());
            }
        }
        var verdicts = o.getAsJsonArray("heldOutVerdicts");
        assertEquals(rows.size() - 1, verdicts.size(), "the chosen settings against every other row");
        for (var v : verdicts) {
            var d = v.getAsJsonObject();
            assertTrue(d.get("lo").getAsDouble() <= d.get("difference").getAsDouble()
                    && d.get("difference").getAsDouble() <= d.get("hi").getAsDouble(), d.toString());
            assertTrue(d.get("sentence").getAsString().contains(d.get("b").getAsString()));
        }
        assertEquals(0, o.getAsJsonArray("problems").size());
    }

    @Test
    void severalRawSourcesAddTheEnsembleLevers(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, String.join("\n", "patientId,x,y,width,height,Target",
                "v1,100,100,200,200,1", "v2,,,,,0", "v3,300,300,100,100,1", "h1,100,100,200,200,1", "h2,,,,,0",
                "h3,300,300,100,100,1", ""));
        // Detector A finds the opacities a little too large; B a little shifted, with a false positive on v2/h2.
        Path aVal = write(dir, "a_val.csv", "v1,0.6 90 90 220 220\nv2,0.1 500 500 50 50\nv3,0.3 290 290 120 120\n");
        Path aHeld = write(dir, "a_held.csv", "h1,0.7 92 92 216 216\nh2,\nh3,0.35 288 288 124 124\n");
        Path aValM = write(dir, "a_val_m.csv", "v1,0.5 95 95 215 215\nv2,\nv3,0.4 295 295 110 110\n");
        Path aHeldM = write(dir, "a_held_m.csv", "h1,0.6 96 96 210 210\nh2,0.05 10 10 40 40\nh3,0.3 294 294 112 112\n");
        Path bVal = write(dir, "b_val.csv", "v1,0.4 110 105 200 200\nv2,0.45 600 600 80 80\nv3,0.2 310 300 100 100\n");
        Path bHeld = write(dir, "b_held.csv", "h1,0.5 108 104 200 200\nh2,0.4 600 600 80 80\nh3,0.25 305 302 100 100\n");
        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        SweepCommand c = new SweepCommand(new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        // A with flip TTA, B without: there is no flip lever then (every source needs mirrored detections)
        int rc = c.run(List.of(labels.toString(), "--raw", "A=" + aVal + "," + aHeld + "," + aValM + "," + aHeldM,
                "--raw", "B=" + bVal + "," + bHeld, "--out", out.toString()));
        assertEquals(0, rc);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("chosen: "), text);
        assertTrue(text.contains("A alone, chosen on validation") && text.contains("B alone, chosen on validation"), text);
        assertTrue(text.contains("the case study's settings"), text);
        assertTrue(text.contains("RSNA metric [95% CI]") && text.contains("held-out"), text);
        assertEquals(2, text.lines().filter(l -> l.startsWith("the chosen ensemble")).count(), "two generated verdicts: " + text);
        List<String> table = Files.readAllLines(out.resolve("ensembles_validation.csv"));
        // A, B, A+B by NMS and five WBF IoUs
        assertEquals(1 + 2 + 6, table.size(), String.join("\n", table));
        assertTrue(Files.size(out.resolve("heatmap_wbf_iou_x_threshold.png")) > 0);
        assertTrue(Files.readString(out.resolve("ensemble_report.txt")).contains("paired bootstrap"));

        // both with mirrored detections: the flip lever joins; --json carries the chosen ensemble and verdicts
        Path bValM = write(dir, "b_val_m.csv", "v1,0.45 105 100 205 205\nv2,0.3 610 600 80 80\nv3,0.25 300 300 100 100\n");
        Path bHeldM = write(dir, "b_held_m.csv", "h1,0.55 104 100 204 204\nh2,0.2 600 600 80 80\nh3,0.3 300 300 100 100\n");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertEquals(0, new SweepCommand(new PrintStream(json, true, StandardCharsets.UTF_8), System.err).run(List.of(
                labels.toString(), "--raw", "A=" + aVal + "," + aHeld + "," + aValM + "," + aHeldM,
                "--raw", "B=" + bVal + "," + bHeld + "," + bValM + "," + bHeldM, "--out", out.toString(), "--json")));
        var o = new com.google.gson.JsonParser().parse(json.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(2 * (1 + 6) + 2 * 6, o.get("ensembles").getAsInt());
        // chosen, A and B alone, the case study's settings, and the best fusing ensemble unless it was chosen
        int rows = o.getAsJsonArray("rows").size();
        assertTrue(rows == 4 || rows == 5, "rows: " + rows);
        assertEquals(rows - 2, o.getAsJsonArray("heldOutVerdicts").size());
        assertTrue(!o.get("chosenEnsemble").getAsString().isBlank());

        // bad forms are usage errors that say what to give
        assertThrows(UsageException.class, () -> c.run(List.of(labels.toString(), "--raw", aVal.toString())));
        assertThrows(UsageException.class, () -> c.run(List.of(labels.toString(), aVal.toString(), "--raw",
                aVal + "," + aHeld)));
    }

    private static Path write(Path dir, String name, String rows) throws java.io.IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "patientId,PredictionString\n" + rows);
        return f;
    }
}
