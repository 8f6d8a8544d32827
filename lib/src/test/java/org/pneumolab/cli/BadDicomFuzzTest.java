package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.dicom.BadDicomCorpus;
import org.pneumolab.dicom.BadDicomCorpus.Entry;
import org.pneumolab.dicom.BadDicomCorpus.Kind;

/**
 * A fixed-seed corpus of broken DICOM files (see {@link BadDicomCorpus}) through both ways the
 * lab reads pixels: {@code bin/pneumo dicom} (the command class, all files in one batch) and
 * {@link ImagePipeline#prepare} with the standard decoders (the DCT-reduced OpenCV decode for
 * RSNA-like files, ImageIO otherwise). Required: 0 crashes (an exception other than the reader's
 * own report), 0 batch aborts, 0 damaged files accepted as clean, every valid file read. The
 * counts are printed for the issue note.
 */
class BadDicomFuzzTest {
    private static final long SEED = 20261130L;

    @TempDir
    Path dir;

    @Test
    void damagedFilesAreRefusedByBothPathsAndNothingCrashesOrStopsTheBatch() throws Exception {
        List<Entry> corpus = BadDicomCorpus.write(dir, SEED, 100, 25);
        Map<Path, Entry> byFile = new LinkedHashMap<>();
        corpus.forEach(e -> byFile.put(e.file(), e));

        // 1. bin/pneumo dicom over the whole folder in one batch.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>();
        corpus.forEach(e -> args.add(e.file().toString()));
        int exit = new DicomCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        Map<Path, String> cliRefused = new LinkedHashMap<>();
        List<String> crashes = new ArrayList<>();
        for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("error: ")) {
                continue;
            }
            String rest = line.substring("error: ".length());
            Path file = byFile.keySet().stream().filter(f -> rest.startsWith(f + ": ")).findFirst().orElse(null);
            assertTrue(file != null, "an error line that names no file: " + line);
            String reason = rest.substring(file.toString().length() + 2);
            cliRefused.put(file, reason);
            if (reason.matches("(?s).*\\bjava\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)\\b.*")) {
                crashes.add("dicom " + line);
            }
        }
        Map<Path, String> cliAccepted = new LinkedHashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Path file = byFile.keySet().stream().filter(f -> line.contains("\"file\":\"" + f + "\"")).findFirst().orElseThrow();
            if (!cliRefused.containsKey(file)) {
                cliAccepted.put(file, line);
            }
        }
        assertEquals(corpus.size(), cliAccepted.size() + cliRefused.size(),
                "every file is either printed or reported: the batch went through to the end");
        assertEquals(cliRefused.isEmpty() ? 0 : 1, exit);

        // 2. ImagePipeline.prepare, file by file, as the data loaders call it.
        ImagePipeline pipeline = new ImagePipeline(PipelineSpec.classification(32), ImageDecoders.standard(), null);
        Map<Path, String> pipeRefused = new LinkedHashMap<>();
        for (Entry e : corpus) {
            try {
                pipeline.prepare(e.file());
            } catch (IOException ex) {
                assertTrue(String.valueOf(ex.getMessage()).contains(e.file().getFileName().toString()),
                        "the message names the file: " + ex.getMessage());
                pipeRefused.put(e.file(), ex.getMessage());
            } catch (Throwable t) {
                crashes.add("prepare " + e.file().getFileName() + " (" + e.how() + "): " + t);
            }
        }

        // Tally.
        Map<Kind, int[]> tally = new EnumMap<>(Kind.class); // files, cli accepted, pipeline accepted
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> acceptedDamaged = new ArrayList<>();
        List<String> refusedValid = new ArrayList<>();
        for (Entry e : corpus) {
            int[] t = tally.computeIfAbsent(e.kind(), k -> new int[3]);
            t[0]++;
            boolean cliOk = cliAccepted.containsKey(e.file()) && cliAccepted.get(e.file()).contains("\"pixels\":{");
            boolean pipeOk = !pipeRefused.containsKey(e.file());
            t[1] += cliOk ? 1 : 0;
            t[2] += pipeOk ? 1 : 0;
            if (e.kind().damaged() && (cliOk || pipeOk)) {
                acceptedDamaged.add(e.file().getFileName() + " (" + e.how() + ") accepted by " + (cliOk ? "dicom " : "")
                        + (pipeOk ? "prepare" : ""));
            }
            if (e.kind() == Kind.VALID && !(cliOk && pipeOk)) {
                refusedValid.add(e.file().getFileName() + ": " + cliRefused.get(e.file()) + " / " + pipeRefused.get(e.file()));
            }
            if (cliRefused.containsKey(e.file())) {
                reasons.merge(e.kind() + ": " + reasonClass(cliRefused.get(e.file())), 1, Integer::sum);
            }
        }
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "fuzz corpus (seed %d): %d files, %d crashes%n%-18s %6s %14s %17s%n", SEED, corpus.size(), crashes.size(),
                "kind", "files", "dicom accepts", "prepare accepts"));
        tally.forEach((k, t) -> report.append(String.format(Locale.ROOT, "%-18s %6d %14d %17d%n", k, t[0], t[1], t[2])));
        report.append("refused by reason (dicom command):\n");
        reasons.forEach((k, n) -> report.append(String.format(Locale.ROOT, "  %4d  %s%n", n, k)));
        System.out.print(report);
        assertTrue(crashes.isEmpty(), "crashes:\n" + String.join("\n", crashes));
        assertTrue(acceptedDamaged.isEmpty(), "damaged files accepted as clean:\n" + String.join("\n", acceptedDamaged));
        assertTrue(refusedValid.isEmpty(), "valid files refused:\n" + String.join("\n", refusedValid));
        assertTrue(tally.get(Kind.MUTATED)[0] > 0 && tally.get(Kind.JPEG_TRUNCATED)[0] > 0);
    }

    /** The reason without numbers, so like problems group together. */
    private static String reasonClass(String reason) {
        String r = reason.replaceAll("/[^ ]+", "PATH").replaceAll("\\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\\)", "(TAG)")
                .replaceAll("0x[0-9A-Fa-f]+", "X").replaceAll("\\d+", "N").replaceAll("found \\(TAG\\).*", "found (TAG)");
        return r.length() > 72 ? r.substring(0, 72) : r;
    }
}
