package org.pneumolab.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.RsnaRecord;
import org.pneumolab.dicom.BadDicomCorpus;
import org.pneumolab.dicom.DicomScan;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * Notebook 01's library calls, in the notebook's order, on a generated sample whose image
 * folder also holds a truncated file, an empty file, a text file named {@code .dcm} and a DICOM
 * without pixel data, some of them for labelled patients (one of them the notebook's first
 * example). Every call completes, the pixel-verifying scan lists every bad file with its reason,
 * and the views skip and report the bad ones.
 */
class NotebookOneOnABadFolderTest {
    @TempDir
    Path dir;

    @Test
    void everyCallCompletesAndTheScanListsEveryBadFile() throws IOException {
        SampleGenerator.generate(new SampleSpec(SampleSpec.DEFAULT_SEED, 24, 2, 0, 256, 64, 128), dir);
        Path root = dir.resolve("rsna");
        Path images = RsnaExplorer.trainImages(root);
        ProblemLog sampleLog = ProblemLog.quiet();
        List<RsnaRecord> records = RsnaDataset.load(root, sampleLog).records();
        // The notebook's first example (first with >= 2 boxes) becomes a truncated file.
        RsnaRecord firstExample = records.stream().filter(r -> r.boxes().size() >= 2).findFirst().orElse(records.get(0));
        List<RsnaRecord> others = records.stream().filter(r -> r != firstExample).toList();
        Path truncated = firstExample.dicom();
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(whole, whole.length * 2 / 3));
        Path empty = others.get(0).dicom();
        Files.write(empty, new byte[0]);
        Path text = others.get(1).dicom();
        Files.writeString(text, "not an image, just text\n", StandardCharsets.UTF_8);
        Path pixelless = others.get(2).dicom();
        Files.write(pixelless, BadDicomCorpus.pixelless());
        Path junk = images.resolve("unlabelled-junk.dcm");
        Files.write(junk, BadDicomCorpus.rsnaLike(64, 5), java.nio.file.StandardOpenOption.CREATE_NEW);
        Files.write(junk, Arrays.copyOf(Files.readAllBytes(junk), 900));
        List<Path> bad = List.of(truncated, empty, text, pixelless, junk);

        // The notebook's calls.
        ProblemLog problems = ProblemLog.quiet();
        RsnaDataset rsna = RsnaDataset.load(root, problems);
        assertFalse(rsna.summary().isBlank());
        RsnaExplorer.Example first = RsnaExplorer.firstReadable(rsna.records(), 2, problems).orElseThrow();
        assertNotEquals(truncated, first.record().dicom(), "the truncated example is passed over");
        assertTrue(DicomHeaderTable.of(first.file()).rowCount() > 5);
        assertEquals(256, first.withBoxes().getWidth());
        DicomScan.Result scan = DicomScan.scan(images, true);
        Map<String, String> listed = new TreeMap<>();
        scan.errors().forEach(e -> listed.put(e.file().getFileName().toString(), e.problem()));
        assertEquals(bad.stream().map(p -> p.getFileName().toString()).sorted().toList(), List.copyOf(listed.keySet()),
                "the scan lists exactly the bad files: " + listed);
        assertTrue(listed.get(truncated.getFileName().toString()).contains("declares"), listed.toString());
        assertTrue(listed.get(empty.getFileName().toString()).contains("empty file"), listed.toString());
        assertTrue(listed.get(text.getFileName().toString()).contains("not a DICOM file"), listed.toString());
        assertTrue(listed.get(pixelless.getFileName().toString()).contains("no pixel data"), listed.toString());
        assertEquals(bad.size(), scan.problemTable().rowCount());
        assertEquals(24 + 1 - bad.size(), scan.table().rowCount());

        RsnaExplorer explore = new RsnaExplorer(rsna, scan.table(), "bad sample", problems);
        explore.classBalanceTable();
        explore.classBalance();
        explore.boxesPerImage();
        explore.boxSizes();
        explore.boxCentres(16);
        explore.ageByTarget();
        explore.counts("sex");
        explore.counts("view");
        explore.opacityRateBy("view");
        explore.opacityRateChart("view");
        explore.intensityHistograms(12, 7);
        explore.examples(4, 7, 200);
        assertTrue(problems.problems().stream().anyMatch(p -> p.file().equals(truncated)), problems.problems().toString());

        // A header-only scan lets the truncated file through (its header reads): the views then
        // meet it, skip it and report it, and still draw the others.
        DicomScan.Result headersOnly = DicomScan.scan(images, false);
        assertTrue(headersOnly.table().stringColumn("path").asList().contains(truncated.toString()));
        ProblemLog viewLog = ProblemLog.quiet();
        RsnaExplorer lax = new RsnaExplorer(rsna, headersOnly.table(), "bad sample", viewLog);
        lax.intensityHistograms(100, 7);
        var grid = lax.examples(100, 7, 100);
        assertTrue(grid != null);
        Map<Path, Long> reported = viewLog.problems().stream().collect(Collectors.groupingBy(p -> p.file(), Collectors.counting()));
        assertTrue(reported.containsKey(truncated), "the views report the truncated file: " + viewLog.problems());
    }
}
