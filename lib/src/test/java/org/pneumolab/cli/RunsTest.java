package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.StudyResult;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.io.JsonNumbers;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.runtime.Profile;
import org.pneumolab.runs.Runs;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * A tiny notebook-04 study's run folders, read back from disk alone: {@link Runs#compare} gives,
 * metric by metric, exactly the paired interval the study gives for the same pair; {@link Runs#table}
 * lists the runs with the study's held-out intervals; runs on another split are refused.
 */
class RunsTest {
    @Test
    void compareFromDiskIsTheStudysPairedInterval(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(3).withRsna(60).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        DataConfig config = new DataConfig(tmp, Optional.empty(), Optional.empty(), tmp.resolve("sample"),
                tmp.resolve("cache"), tmp.resolve("runs"));
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 3).with(s -> s.epochs(1).inputSize(64));
        DetectionStudy study = DetectionStudy.open(config, spec, ProblemLog.quiet());
        StudyResult r = study.run(List.of(Contender.RETINANET, Contender.FASTER_RCNN));
        Path a = study.runs().dir(r.outcome(Contender.RETINANET).runName());
        Path b = study.runs().dir(r.outcome(Contender.FASTER_RCNN).runName());

        Runs.Comparison c = Runs.compare(a, b);
        Map<String, Verdict> expected = r.compare(Contender.RETINANET, Contender.FASTER_RCNN);
        assertEquals(DetectionBootstrap.METRICS.size(), c.verdicts().size());
        for (Verdict v : c.verdicts()) {
            Verdict e = expected.get(v.metric());
            assertEquals(e.difference(), v.difference(), v.metric() + ": the study's paired interval");
            assertEquals(e.n(), v.n());
            assertEquals(e.outcome(), v.outcome());
        }
        assertTrue(c.specDiff().stream().anyMatch(d -> d.startsWith("model: \"retinanet\" -> \"faster-rcnn\"")), c.specDiff().toString());
        assertTrue(c.toString().contains(expected.get(DetectionBootstrap.RSNA).differenceCell()), c.toString());

        var table = Runs.table(study.runs().dir("x").getParent());
        assertEquals(2, table.rowCount());
        String printed = table.printAll();
        assertTrue(printed.contains(r.estimates(Contender.RETINANET).rsna().toString()), printed);
        assertTrue(printed.contains(r.estimates(Contender.FASTER_RCNN).rsna().toString()), printed);
        assertTrue(printed.contains("epochs: 20 -> 1"), "what differs from the profile's defaults: " + printed);

        // the same through bin/pneumo's commands
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, Pneumo.run(new String[] {"compare", a.toString(), b.toString()}, ps, ps));
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains(expected.get(DetectionBootstrap.RSNA)
                .differenceCell()), out.toString(java.nio.charset.StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, Pneumo.run(new String[] {"runs", a.getParent().toString()}, ps, ps));
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains(a.getFileName().toString()));

        // every file of the run folder is strict JSON
        for (String f : List.of("config.json", "kept.json", "run.json", "evaluation.json")) {
            JsonNumbers.parseStrict(Files.readString(a.resolve(f)));
        }

        // another split: refused with the reason
        Path other = tmp.resolve("other/" + b.getFileName());
        Files.createDirectories(other);
        for (String f : List.of("config.json", "run.json", "evaluation.json")) {
            Files.copy(b.resolve(f), other.resolve(f));
        }
        JsonObject cfg = new JsonParser().parse(Files.readString(other.resolve("config.json"))).getAsJsonObject();
        cfg.getAsJsonObject("data").addProperty("splitSeed", 99);
        Files.writeString(other.resolve("config.json"), cfg.toString());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Runs.compare(a, other));
        assertTrue(refused.getMessage().contains("different splits"), refused.getMessage());
        out.reset();
        assertEquals(1, Pneumo.run(new String[] {"compare", a.toString(), other.toString()}, ps, ps));
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("different splits"));
    }
}
