package org.pneumolab.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.io.Digests;

/** The written sample: Kaggle's layouts and CSV formats, determinism, the manifest and --if-missing. */
class SampleGeneratorTest {
    /** Full-size images (RSNA 1024, Kermany 900-2000 wide), few of them. */
    private static final SampleSpec LAYOUT = SampleSpec.defaults().withRsna(40).withKermany(60);
    /** Small images for the determinism runs. */
    private static final SampleSpec SMALL = SampleSpec.defaults().withRsna(20).withKermany(40).withSizes(128, 120, 200);

    @TempDir
    static Path shared;
    private static Path layoutRoot;

    @BeforeAll
    static void generateOnce() throws IOException {
        layoutRoot = shared.resolve("layout");
        SampleGenerator.Summary s = SampleGenerator.generate(LAYOUT, layoutRoot);
        assertFalse(s.reused());
    }

    @Test
    void rsnaCsvsAreInKagglesFormat() throws IOException {
        Path rsna = layoutRoot.resolve("rsna");
        List<String> labels = Files.readAllLines(rsna.resolve("stage_2_train_labels.csv"));
        List<String> classes = Files.readAllLines(rsna.resolve("stage_2_detailed_class_info.csv"));
        assertEquals("patientId,x,y,width,height,Target", labels.get(0));
        assertEquals("patientId,class", classes.get(0));
        assertEquals(labels.size(), classes.size(), "one class row per label row");
        Map<String, Integer> rowsPerPatient = new LinkedHashMap<>();
        for (int i = 1; i < labels.size(); i++) {
            String[] f = labels.get(i).split(",", -1);
            assertEquals(6, f.length, labels.get(i));
            String[] c = classes.get(i).split(",", 2);
            assertEquals(f[0], c[0], "class info follows the label rows");
            rowsPerPatient.merge(f[0], 1, Integer::sum);
            if (f[5].equals("0")) {
                assertEquals(List.of("", "", "", ""), List.of(f[1], f[2], f[3], f[4]), "Target=0 has empty box fields");
                assertTrue(c[1].equals("Normal") || c[1].equals("No Lung Opacity / Not Normal"), c[1]);
            } else {
                assertEquals("1", f[5]);
                assertEquals("Lung Opacity", c[1]);
                double x = Double.parseDouble(f[1]);
                double y = Double.parseDouble(f[2]);
                double w = Double.parseDouble(f[3]);
                double h = Double.parseDouble(f[4]);
                assertTrue(f[1].matches("\\d+\\.0") && f[3].matches("\\d+\\.0"), "Kaggle writes 264.0: " + labels.get(i));
                assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 1024 && y + h <= 1024, labels.get(i));
            }
        }
        assertEquals(40, rowsPerPatient.size());
        assertTrue(rowsPerPatient.values().stream().anyMatch(n -> n > 1), "patients with several boxes repeat");
        // every labelled patient has its DICOM, and nothing else is in the folder
        Set<String> files = fileNames(rsna.resolve("stage_2_train_images"));
        assertEquals(rowsPerPatient.keySet().stream().map(id -> id + ".dcm").collect(java.util.stream.Collectors.toSet()), files);

        List<String> submission = Files.readAllLines(rsna.resolve("stage_2_sample_submission.csv"));
        List<String> testTruth = Files.readAllLines(rsna.resolve("sample_test_labels.csv"));
        assertEquals("patientId,PredictionString", submission.get(0));
        assertEquals("patientId,x,y,width,height,Target", testTruth.get(0));
        Set<String> testIds = new LinkedHashSet<>();
        submission.stream().skip(1).forEach(line -> testIds.add(line.split(",")[0]));
        assertEquals(8, testIds.size());
        assertEquals(testIds.stream().map(id -> id + ".dcm").collect(java.util.stream.Collectors.toSet()),
                fileNames(rsna.resolve("stage_2_test_images")));
        Set<String> truthIds = new LinkedHashSet<>();
        testTruth.stream().skip(1).forEach(line -> truthIds.add(line.split(",")[0]));
        assertEquals(testIds, truthIds, "the sample's test truth covers exactly the test images");
        assertTrue(testIds.stream().noneMatch(rowsPerPatient::containsKey), "test patients are not in train");
    }

    /** pydicom reads generated films, and their headers agree with the plan and the CSVs. */
    @Test
    void pydicomReadsGeneratedFilms() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "needs Debian's python3 with pydicom");
        List<RsnaPatient> plan = RsnaLayout.plan(LAYOUT);
        RsnaPatient ap = plan.stream().filter(p -> p.viewPosition().equals("AP")).findFirst().orElseThrow();
        RsnaPatient pa = plan.stream().filter(p -> p.viewPosition().equals("PA") && p.test()).findFirst().orElseThrow();
        for (RsnaPatient p : List.of(ap, pa)) {
            Path f = layoutRoot.resolve("rsna").resolve(p.folder()).resolve(p.fileName());
            String script = "import sys, pydicom\n"
                    + "d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array\n"
                    + "print(d.PatientID, d.PatientName, d.ViewPosition, d.PatientSex, d.PatientAge, d.Modality,"
                    + " d.BodyPartExamined, d.file_meta.TransferSyntaxUID, a.shape, a.dtype, int(a.max()) > 100, sep='|')";
            Process proc = new ProcessBuilder(python.toString(), "-c", script, f.toString()).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, proc.waitFor(), out);
            assertEquals(String.join("|", p.patientId(), p.patientId(), p.viewPosition(), p.sex(),
                    Integer.toString(p.age()), "CR", "CHEST", "1.2.840.10008.1.2.4.50", "(1024, 1024)", "uint8", "True"), out);
        }
    }

    @Test
    void kermanyFoldersNamesAndImages() throws IOException {
        Path root = layoutRoot.resolve("chest_xray");
        Map<String, Integer> counts = new TreeMap<>();
        for (String split : List.of("train", "val", "test")) {
            for (String label : List.of("NORMAL", "PNEUMONIA")) {
                Set<String> names = fileNames(root.resolve(split).resolve(label));
                counts.put(split + "/" + label, names.size());
                for (String n : names) {
                    String pattern = label.equals("NORMAL")
                            ? "(NORMAL2-)?IM-\\d{4}-\\d{4}\\.jpeg"
                            : "person\\d+_(bacteria|virus)_\\d+\\.jpeg";
                    assertTrue(n.matches(pattern), split + "/" + label + "/" + n);
                }
            }
        }
        // 60 images scaled from 1341:3875, 8:8, 234:390 (at least 2 per folder)
        assertEquals(Map.of("test/NORMAL", 2, "test/PNEUMONIA", 4, "train/NORMAL", 14, "train/PNEUMONIA", 40,
                "val/NORMAL", 2, "val/PNEUMONIA", 2), counts);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                var img = ImageIO.read(p.toFile());
                assertTrue(img.getWidth() >= 900 && img.getWidth() <= 2000, p + " width " + img.getWidth());
                assertTrue(img.getHeight() < img.getWidth(), p + " is not landscape");
            }
        }
    }

    @Test
    void kermanyPlanHasPatientsWithSeveralImagesSubtypesAndSomeColourFiles() {
        List<KermanyImage> plan = KermanyLayout.plan(SampleSpec.defaults());
        int asked = SampleSpec.defaults().kermanyImages();
        assertTrue(Math.abs(plan.size() - asked) <= 0.05 * asked, "size " + plan.size() + " for " + asked + " asked");
        long trainNormal = plan.stream().filter(i -> i.split().equals("train") && !i.pneumonia()).count();
        long trainPneumonia = plan.stream().filter(i -> i.split().equals("train") && i.pneumonia()).count();
        assertEquals(3875.0 / 1341, trainPneumonia / (double) trainNormal, 0.15);
        assertTrue(plan.stream().anyMatch(KermanyImage::rgb), "a few 3-channel files");
        assertTrue(plan.stream().filter(KermanyImage::rgb).count() < plan.size() / 10);
        assertTrue(plan.stream().anyMatch(i -> i.subtype().equals("virus")));
        assertTrue(plan.stream().anyMatch(i -> i.subtype().equals("bacteria")));
        assertTrue(plan.stream().anyMatch(i -> i.fileName().startsWith("NORMAL2-IM-")));
        assertTrue(plan.stream().anyMatch(i -> i.fileName().endsWith("-0002.jpeg")), "a NORMAL patient with two images");
        Map<String, Long> perPerson = new TreeMap<>();
        plan.stream().filter(KermanyImage::pneumonia)
                .forEach(i -> perPerson.merge(i.fileName().substring(0, i.fileName().indexOf('_')), 1L, Long::sum));
        assertTrue(perPerson.values().stream().anyMatch(n -> n > 1), "a PNEUMONIA patient with several images");
        Set<String> names = new LinkedHashSet<>();
        plan.forEach(i -> assertTrue(names.add(i.fileName()), "duplicate " + i.fileName()));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherData(@TempDir Path dir) throws IOException {
        SampleGenerator.generate(SMALL, dir.resolve("a"));
        SampleGenerator.generate(SMALL, dir.resolve("b"));
        SampleGenerator.generate(SMALL.withSeed(99), dir.resolve("c"));
        Map<String, String> a = digests(dir.resolve("a"));
        Map<String, String> b = digests(dir.resolve("b"));
        Map<String, String> c = digests(dir.resolve("c"));
        assertEquals(a, b, "same seed, same files and bytes");
        assertTrue(a.size() > 60);
        String labels = "rsna/stage_2_train_labels.csv";
        assertNotEquals(Files.readString(dir.resolve("a").resolve(labels)), Files.readString(dir.resolve("c").resolve(labels)));
        List<String> sameNameSameBytes = new ArrayList<>();
        for (var e : a.entrySet()) {
            if (e.getKey().startsWith("chest_xray/") && e.getValue().equals(c.get(e.getKey()))) {
                sameNameSameBytes.add(e.getKey());
            }
        }
        assertTrue(sameNameSameBytes.isEmpty(), "other seed, other pixels: " + sameNameSameBytes);
    }

    @Test
    void ifMissingSkipsAMatchingSampleAndRegeneratesAChangedOne(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sample");
        assertFalse(SampleGenerator.generateIfMissing(SMALL, out).reused());
        Path manifest = out.resolve(SampleGenerator.MANIFEST);
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        assertTrue(text.contains("seed=" + SMALL.seed()) && text.contains("generatorVersion=" + SampleGenerator.VERSION), text);
        var before = Files.getLastModifiedTime(out.resolve("rsna/stage_2_train_labels.csv"));
        assertTrue(SampleGenerator.generateIfMissing(SMALL, out).reused());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("rsna/stage_2_train_labels.csv")));

        // a missing file makes the sample incomplete
        Path someImage;
        try (Stream<Path> s = Files.list(out.resolve("rsna/stage_2_train_images"))) {
            someImage = s.findFirst().orElseThrow();
        }
        Files.delete(someImage);
        assertFalse(SampleGenerator.isUpToDate(SMALL, out));
        assertFalse(SampleGenerator.generateIfMissing(SMALL, out).reused());
        assertTrue(Files.exists(someImage));

        // another seed replaces the old sample entirely (no stale files of the first seed)
        Set<String> firstIds = fileNames(out.resolve("rsna/stage_2_train_images"));
        assertFalse(SampleGenerator.generateIfMissing(SMALL.withSeed(5), out).reused());
        Set<String> secondIds = fileNames(out.resolve("rsna/stage_2_train_images"));
        assertEquals(20, secondIds.size());
        assertTrue(secondIds.stream().noneMatch(firstIds::contains));
        assertTrue(Files.readString(manifest).contains("seed=5"));
    }

    @Test
    void anInterruptedGenerationIsRedoneOnTheNextCall(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sample");
        org.pneumolab.notebook.CellInterrupt.beginCell();
        try {
            // Kernel > Interrupt as generation starts: the first progress step after a file stops it
            org.pneumolab.notebook.CellInterrupt.requestIfRunning();
            assertThrows(org.pneumolab.notebook.CellInterruptedException.class,
                    () -> SampleGenerator.generateIfMissing(SMALL, out));
        } finally {
            org.pneumolab.notebook.CellInterrupt.endCell();
        }
        assertTrue(Files.exists(out.resolve("rsna")) || Files.exists(out.resolve("chest_xray")), "it had begun writing");
        assertFalse(SampleGenerator.isUpToDate(SMALL, out));
        // the rerun (before the fix: refused, "already holds rsna/ or chest_xray/ that the sample generator did not write")
        assertFalse(SampleGenerator.generateIfMissing(SMALL, out).reused());
        assertTrue(SampleGenerator.isUpToDate(SMALL, out));
        assertFalse(Files.exists(out.resolve(SampleGenerator.IN_PROGRESS)));
        SampleGenerator.generate(SMALL, dir.resolve("clean"));
        assertEquals(digests(dir.resolve("clean")), digests(out), "the same files and bytes as a generation in one go");
    }

    @Test
    void aKermanyOnlySampleIsAlsoRecognisedAsComplete(@TempDir Path dir) throws IOException {
        SampleSpec kermanyOnly = SMALL.withRsna(0).withKermany(12);
        assertFalse(SampleGenerator.generateIfMissing(kermanyOnly, dir).reused());
        assertFalse(Files.exists(dir.resolve("rsna/stage_2_train_labels.csv")));
        assertTrue(SampleGenerator.generateIfMissing(kermanyOnly, dir).reused());
    }

    @Test
    void refusesToOverwriteAFolderItDidNotWrite(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("rsna"));
        Files.writeString(dir.resolve("rsna/stage_2_train_labels.csv"), "real data\n");
        IOException e = assertThrows(IOException.class, () -> SampleGenerator.generate(SMALL, dir));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("did not write"), e.getMessage());
        assertEquals("real data\n", Files.readString(dir.resolve("rsna/stage_2_train_labels.csv")));
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Digests.sha256Hex(Files.readAllBytes(p)));
            }
        }
        return out;
    }
}
