package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.classify.study.KermanyStudy;
import org.pneumolab.classify.study.ModelRun;
import org.pneumolab.classify.study.StudyConfig;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.dicom.DicomWriter;
import org.pneumolab.image.GrayImage;
import org.pneumolab.io.CsvFile;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * {@code pneumo predict} with a classifier: VGG16 (32 px, random init) trained on a small
 * generated Kermany sample, its block3_conv3 fine-tuned, saved by the study as a run folder; the
 * CLI reads that folder alone and gives, for a folder of new JPEGs plus one DICOM and one broken
 * file, the probabilities the in-memory model gives; the broken file is reported and counted;
 * Grad-CAM overlays are written on request.
 * A folder whose files were changed or do not agree is refused, naming the file.
 */
class PredictClassifierTest {
    private static final long SEED = 2;
    @TempDir
    static Path dir;
    static KermanyStudy study;
    static ModelRun stage1;
    static ModelRun tuned;
    static Path run;
    static Path dicom;

    @BeforeAll
    static void trainAndSave() throws Exception {
        Path root = dir.resolve("sample");
        SampleGenerator.generate(SampleSpec.defaults().withSeed(SEED).withRsna(0).withKermany(120)
                .withSizes(128, 96, 128), root);
        DataConfig data = new DataConfig(dir, Optional.empty(), Optional.empty(), root, dir.resolve("cache"),
                dir.resolve("runs"));
        StudyConfig config = StudyConfig.forProfile(Profile.SAMPLE, SEED).withSizes(32, 75).withEpochs(2, 1)
                .withMaxImagesPerSplit(40);
        study = KermanyStudy.open(config, data, ProblemLog.quiet());
        stage1 = study.trainHead("VGG16 frozen", study.vgg16(), ClassWeights.none());
        tuned = study.fineTune("VGG16 fine-tuned block3_conv3", stage1);
        run = study.save(tuned);
        // a DICOM of a Kermany test film (its JPEG as the DICOM's pixel data), so it scores in distribution
        Path film = study.data().readable("test", 32).get(12).image();
        var size = ImageIO.read(film.toFile());
        dicom = dir.resolve(stem(film) + ".dcm");
        DicomWriter.write(dicom, new DicomWriter.ChestRadiograph("P1", "P1", "F", "5", "PA", size.getHeight(),
                size.getWidth(), 0.2, "1.2.3", "1.2.3.4", "1.2.3.4.5"), Files.readAllBytes(film));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result predict(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new PredictCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(argv));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void savedRunPredictsAFolderAsTheModelInMemoryDoes() throws Exception {
        assertTrue(run.startsWith(dir.resolve("runs")), run.toString());
        // the study's run folder: named by model and class weights, then its spec's identity
        assertTrue(run.getFileName().toString().equals("vgg16-fine-tuned-w1.0-1.0-" + org.pneumolab.train.RunIdentity.of(
                Files.readString(run.resolve("config.json")).trim()).substring(0, 12)), run.toString());

        // new images: test-split JPEGs, a DICOM of another test film and a JPEG that ends after five bytes
        List<KermanyRecord> test = study.data().readable("test", 32).subList(0, 12);
        Path images = dir.resolve("new-images");
        Files.createDirectories(images);
        for (KermanyRecord r : test) {
            Files.copy(r.image(), images.resolve(r.image().getFileName()));
        }
        Files.copy(dicom, images.resolve(dicom.getFileName()));
        Files.write(images.resolve("broken.jpeg"), new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3});

        Path csv = dir.resolve("pred.csv");
        Path overlays = dir.resolve("gradcam");
        Result r = predict("--run", run.toString(), "--out", csv.toString(), "--overlays", overlays.toString(),
                images.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("broken.jpeg"), r.err());
        assertTrue(r.out().contains("13 images"), r.out());
        assertTrue(r.out().contains("1 file(s) skipped (listed on stderr)"), r.out());
        assertTrue(r.out().contains("VGG16 fine-tuned block3_conv3") && r.out().contains("not chosen on validation"), r.out());

        CsvFile rows = CsvFile.read(csv, List.of("file", "id", "p_pneumonia", "label"));
        Map<String, Double> cli = new HashMap<>();
        for (CsvFile.Row row : rows.rows()) {
            double p = Double.parseDouble(rows.get(row, "p_pneumonia"));
            cli.put(rows.get(row, "id"), p);
            assertEquals(p >= 0.5 ? "PNEUMONIA" : "NORMAL", rows.get(row, "label"), row.toString());
        }
        assertEquals(13, cli.size(), "every readable image once: " + cli.keySet());
        assertFalse(cli.containsKey("broken"));

        // the same model in memory: the study's own pixels for the JPEGs, the classifier pipeline for the DICOM
        double[] direct = tuned.model().scores(study.data().pixels(test, 32));
        double min = 1;
        double max = 0;
        for (int i = 0; i < test.size(); i++) {
            String id = stem(test.get(i).image());
            assertNotNull(cli.get(id), id);
            assertEquals(direct[i], cli.get(id), 1e-5, id);
            min = Math.min(min, direct[i]);
            max = Math.max(max, direct[i]);
        }
        assertTrue(max - min > 1e-3, "the model's scores vary between images (else the comparison says little): "
                + min + ".." + max);
        ImagePipeline pipeline = new ImagePipeline(SavedClassifier.pipelineSpec(32), ImageDecoders.standard(), null);
        GrayImage d = pipeline.prepare(dicom).image();
        assertEquals(tuned.model().scores(pipeline.toTensor(List.of(d)))[0], cli.get(stem(dicom)), 1e-5);

        for (String id : cli.keySet()) {
            assertNotNull(ImageIO.read(overlays.resolve(id + ".png").toFile()), id);
        }
    }

    @Test
    void theFolderCarriesTheFineTunedWeightsAndTheSettings() throws Exception {
        SavedClassifier saved = SavedClassifier.load(run);
        String layer = "block3_conv3";
        var savedConv = saved.model().backbone().graph().getLayer(layer).params();
        assertEquals(tuned.model().backbone().graph().getLayer(layer).params(), savedConv);
        assertFalse(stage1.model().backbone().graph().getLayer(layer).params().equals(savedConv),
                "the fine-tuned convolution, not stage 1's");
        assertEquals(tuned.model().head().params(), saved.model().head().params());
        assertEquals(0.5, saved.threshold());
        assertEquals(study.config().featureScaling(), saved.model().featureScaling());
        assertEquals("32x32/AREA/stretch", saved.pipeline().resizeKey());
        assertEquals(tuned.model().backbone().weights(), saved.model().backbone().weights());
        assertEquals(tuned.model().backbone().preprocessing(), saved.model().backbone().preprocessing());
    }

    @Test
    void aChangedOrMismatchedFolderIsRefusedNamingTheFile() throws Exception {
        Path json = copy("json").resolve(SavedClassifier.CONFIG);
        Files.writeString(json, Files.readString(json).replace("\"inputSize\": 32", "\"inputSize\": 48"));
        IOException e = assertThrows(IOException.class, () -> SavedClassifier.load(json.getParent()));
        assertTrue(e.getMessage().contains(json.toString()) && e.getMessage().contains("inputSize 48"), e.getMessage());

        Path shape = copy("shape").resolve(SavedClassifier.CONFIG);
        Files.writeString(shape, Files.readString(shape).replaceFirst("\"featureShape\": \\[\\s*256", "\"featureShape\": [ 128"));
        e = assertThrows(IOException.class, () -> SavedClassifier.load(shape.getParent()));
        assertTrue(e.getMessage().contains(shape.toString()) && e.getMessage().contains("featureShape"), e.getMessage());

        Path head = copy("head").resolve(SavedClassifier.HEAD);
        byte[] bytes = Files.readAllBytes(head);
        bytes[bytes.length / 2] ^= 1;
        Files.write(head, bytes);
        e = assertThrows(IOException.class, () -> SavedClassifier.load(head.getParent()));
        assertTrue(e.getMessage().startsWith(head.toString()) && e.getMessage().contains("SHA-256"), e.getMessage());

        Path base = copy("base").resolve(SavedClassifier.BASE);
        Files.delete(base);
        e = assertThrows(IOException.class, () -> predict("--run", base.getParent().toString(), dicom.toString()));
        assertTrue(e.getMessage().startsWith(base.toString()) && e.getMessage().contains("missing"), e.getMessage());

        Path format = copy("format").resolve(SavedClassifier.CONFIG);
        Files.writeString(format, Files.readString(format).replace("\"format\": 1", "\"format\": 2"));
        e = assertThrows(IOException.class, () -> SavedClassifier.load(format.getParent()));
        assertTrue(e.getMessage().contains(format.toString()) && e.getMessage().contains("format 2"), e.getMessage());

        Path empty = Files.createDirectories(dir.resolve("not-a-run"));
        e = assertThrows(IOException.class, () -> predict("--run", empty.toString(), dicom.toString()));
        assertTrue(e.getMessage().contains("classifier.json") && e.getMessage().contains("config.json"), e.getMessage());

        UsageException u = assertThrows(UsageException.class,
                () -> predict("--run", run.toString(), "--nms", "0.3", dicom.toString()));
        assertTrue(u.getMessage().contains("detector runs"), u.getMessage());
        u = assertThrows(UsageException.class, () -> predict("--run", run.toString(), "--threshold", "1.5", dicom.toString()));
        assertTrue(u.getMessage().contains("(0, 1)"), u.getMessage());
    }

    @Test
    void aThresholdOnTheCommandLineDecidesTheLabelAndIsSaid() throws Exception {
        Path csv = dir.resolve("threshold.csv");
        Result r = predict("--run", run.toString(), "--out", csv.toString(), "--threshold", "1e-6", dicom.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("threshold 1.0E-6 from the command line, not the run's 0.5"), r.out());
        CsvFile rows = CsvFile.read(csv, List.of("id", "p_pneumonia", "label"));
        assertEquals(1, rows.rows().size());
        double p = Double.parseDouble(rows.get(rows.rows().get(0), "p_pneumonia"));
        assertEquals(p >= 1e-6 ? "PNEUMONIA" : "NORMAL", rows.get(rows.rows().get(0), "label"));
        assertTrue(r.out().contains("0 file(s) skipped"), r.out());
    }

    /** A copy of the saved run folder to damage. */
    private static Path copy(String name) throws IOException {
        Path to = Files.createDirectories(dir.resolve("damaged-" + name));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(run)) {
            s.forEach(files::add);
        }
        for (Path f : files) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }
}
