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
}
