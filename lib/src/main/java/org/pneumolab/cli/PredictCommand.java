package org.pneumolab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pneumolab.classify.GradCam;
import org.pneumolab.classify.GradCamResult;
import org.pneumolab.classify.SavedClassifier;
import org.pneumolab.data.BatchOptions;
import org.pneumolab.io.CsvFile;
import org.pneumolab.io.DataProblem;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.DetectionBatches;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImageIds;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.SavedDetector;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.geom.Detection;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.metrics.Submission;
import org.pneumolab.notebook.ProgressBar;
import org.pneumolab.viz.BoxOverlay;

/**
 * {@code pneumo predict --run DIR [--out FILE.csv] [--overlays DIR] [--threshold T] [--nms IOU]
 * [--max-boxes K] [--shrink S] FILE_OR_FOLDER...}: applies a trained model to new DICOMs, JPEGs
 * or PNGs. A detector (a run folder of notebook 04 or any {@code RunStore}) writes a Kaggle-style
 * submission, boxes in each image's own pixels; a classifier (a {@link SavedClassifier} folder,
 * e.g. saved by notebook 02) writes file, id, P(pneumonia) and the label at the run's threshold,
 * with Grad-CAM overlays on request. Images stream through the run's own input pipeline in
 * batches; an unreadable file is reported (file and reason) and skipped, and the closing line
 * says how many were.
 */
final class PredictCommand implements Command {
    private final PrintStream out;
    private final PrintStream err;

    PredictCommand() {
        this(System.out, System.err);
    }

    PredictCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("run", "out", "overlays", "threshold", "nms", "max-boxes", "shrink");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public String usage() {
        return "--run DIR [--out FILE.csv] [--overlays DIR] [--threshold T] [--nms IOU] [--max-boxes K] [--shrink S] "
                + "FILE_OR_FOLDER...  (apply a trained detector or classifier to new DICOM/JPEG/PNG images: a detector "
                + "writes a submission CSV, a classifier file, id, P(pneumonia) and label at the run's threshold; "
                + "--overlays DIR: box overlays or Grad-CAM PNGs; --nms, --max-boxes, --shrink: detectors only)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        String runOption = args.get("run", null);
        if (runOption == null) {
            throw new UsageException("--run DIR is required (a detector run folder, e.g. runs/04-detection-sample-seed2018/retinanet-..., "
                    + "or a classifier run folder saved by notebook 02, e.g. runs/kermany-sample-seed2-.../vgg16-...)");
        }
        if (args.positional().isEmpty()) {
            throw new UsageException("needs at least one image file or folder");
        }
        Path runDir = Path.of(runOption);
        if (SavedClassifier.isClassifierRun(runDir)) {
            return classify(args, runDir);
        }
        if (!Files.isRegularFile(runDir.resolve("config.json"))) {
            throw new IOException(runDir + ": not a run folder: no " + SavedClassifier.CONFIG + " (a classifier) and no"
                    + " config.json (a detector)");
        }
        PostProcess pp = new PostProcess(number(args, "threshold", PostProcess.RSNA_TUNED.scoreThreshold()),
                number(args, "nms", PostProcess.RSNA_TUNED.nmsIou()),
                (int) number(args, "max-boxes", PostProcess.RSNA_TUNED.maxDetections()),
                number(args, "shrink", PostProcess.RSNA_TUNED.shrink()));
        Path outFile = Path.of(args.get("out", "predictions.csv"));
        Path overlays = args.get("overlays", null) == null ? null : Path.of(args.get("overlays", null));

        ProblemLog log = ProblemLog.quiet();
        List<DetectionSample> samples = collect(args.positional(), log);
        SavedDetector saved = SavedDetector.load(runDir);
        out.printf(Locale.ROOT, "detector: %s, kept %s; input %s; post-processing %s%n", saved.runDir(),
                saved.kept().note(), saved.pipeline().resizeKey(), pp);
        NativeThreads.apply();
        // no tensor cache: new images are read once, so caching them would only fill the disk
        ImagePipeline pipeline = new ImagePipeline(saved.pipeline(), ImageDecoders.standard(), null);
        Map<String, List<Detection>> predictions = new LinkedHashMap<>();
        Map<String, Path> files = new HashMap<>();
        samples.forEach(s -> files.put(s.id(), s.image()));
        if (overlays != null) {
            Files.createDirectories(overlays);
        }
        try (DetectionBatches batches = new DetectionBatches(samples, pipeline, BatchOptions.evaluation(BATCH), log);
             ProgressBar bar = ProgressBar.start("predict", samples.size())) {
            while (batches.hasNext()) {
                DetectionBatch b = batches.next();
                for (ImageDetections d : saved.detector().detect(b, pp)) {
                    predictions.put(d.imageId(), d.detections());
                    if (overlays != null) {
                        writeOverlay(files.get(d.imageId()), d, overlays.resolve(d.imageId() + ".png"), log);
                    }
                }
                bar.advance(b.size());
            }
        }
        Submission.of(predictions).write(outFile);
        long withBoxes = predictions.values().stream().filter(l -> !l.isEmpty()).count();
        out.printf(Locale.ROOT, "wrote %s: %d images (%d with at least one box)%s%s%n", outFile,
                predictions.size(), withBoxes, overlays == null ? "" : ", overlays in " + overlays, skipped(log));
        return 0;
    }

    /** Batch size of the streamed prediction pass, detectors and classifiers alike. */
    private static final int BATCH = 8;

    /**
     * A classifier run: P(pneumonia) and the label for each readable image, streamed to the CSV
     * batch by batch (columns file, id, p_pneumonia at full double precision, label); with
     * {@code --overlays}, each image's Grad-CAM of P(pneumonia) at the run's Grad-CAM layer.
     */
    private int classify(Args args, Path runDir) throws IOException {
        for (String detectorOnly : List.of("nms", "max-boxes", "shrink")) {
            if (args.get(detectorOnly, null) != null) {
                throw new UsageException("--" + detectorOnly + " applies to detector runs; " + runDir + " is a classifier run");
            }
        }
        Path outFile = Path.of(args.get("out", "predictions.csv"));
        Path overlays = args.get("overlays", null) == null ? null : Path.of(args.get("overlays", null));
        ProblemLog log = ProblemLog.quiet();
        List<DetectionSample> samples = collect(args.positional(), log);
        SavedClassifier saved = SavedClassifier.load(runDir);
        double threshold = number(args, "threshold", saved.threshold());
        if (!(threshold > 0 && threshold < 1)) {
            throw new UsageException("--threshold for a classifier is a probability in (0, 1), got " + threshold);
        }
        out.println(saved.describe());
        Path keptFile = runDir.resolve("kept.json");
        if (Files.isRegularFile(keptFile)) {
            // a run folder of notebooks 02/03: its saved model is the kept epoch's, which kept.json names
            try {
                out.println("kept " + new com.google.gson.JsonParser().parse(Files.readString(keptFile)).getAsJsonObject()
                        .get("note").getAsString());
            } catch (RuntimeException e) {
                throw new IOException(keptFile + ": not a kept-model file: " + e.getMessage(), e);
            }
        }
        if (threshold != saved.threshold()) {
            out.printf(Locale.ROOT, "threshold %s from the command line, not the run's %s%n", threshold, saved.threshold());
        }
        NativeThreads.apply();
        ImagePipeline pipeline = new ImagePipeline(saved.pipeline(), ImageDecoders.standard(), null);
        Map<String, Path> files = new HashMap<>();
        samples.forEach(s -> files.put(s.id(), s.image()));
        if (overlays != null) {
            Files.createDirectories(overlays);
        }
        long[] counts = new long[2]; // images, PNEUMONIA
        CsvFile.stream(outFile, List.of("file", "id", "p_pneumonia", "label"), row -> {
            try (DetectionBatches batches = new DetectionBatches(samples, pipeline, BatchOptions.evaluation(BATCH), log);
                 ProgressBar bar = ProgressBar.start("predict", samples.size())) {
                while (batches.hasNext()) {
                    DetectionBatch b = batches.next();
                    double[] p = saved.scores(b.images());
                    for (int i = 0; i < p.length; i++) {
                        String label = p[i] >= threshold ? SavedClassifier.LABELS.get(1) : SavedClassifier.LABELS.get(0);
                        row.accept(List.of(files.get(b.ids().get(i)), b.ids().get(i), Double.toString(p[i]), label));
                        counts[0]++;
                        counts[1] += p[i] >= threshold ? 1 : 0;
                    }
                    if (overlays != null) {
                        writeGradCams(saved, b, files, overlays, log);
                    }
                    bar.advance(b.size());
                }
            }
        });
        out.printf(Locale.ROOT, "wrote %s: %d images (%d PNEUMONIA at threshold %s)%s%s%n", outFile, counts[0], counts[1],
                threshold, overlays == null ? "" : ", Grad-CAM overlays (P(pneumonia) at " + saved.model().backbone().gradCamLayer()
                        + ") in " + overlays, skipped(log));
        return 0;
    }

    /** Lists every skipped file on stderr; the closing line's "; N file(s) skipped" part. */
    private String skipped(ProblemLog log) {
        for (DataProblem p : log.problems()) {
            err.println("skipped: " + p);
        }
        return String.format(Locale.ROOT, "; %d file(s) skipped%s", log.size(), log.isEmpty() ? "" : " (listed on stderr)");
    }

    /** One PNG per image of the batch: the input with its Grad-CAM heat map, captioned with P(pneumonia). */
    private static void writeGradCams(SavedClassifier saved, DetectionBatch b, Map<String, Path> files, Path dir,
                                      ProblemLog log) {
        GradCamResult cams;
        try {
            cams = GradCam.compute(saved.model(), b.images());
        } catch (RuntimeException e) {
            b.ids().forEach(id -> log.report(files.get(id), "Grad-CAM overlay not written: " + e.getMessage()));
            return;
        }
        for (int i = 0; i < b.size(); i++) {
            String id = b.ids().get(i);
            INDArray one = b.images().get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            GradCamResult single = new GradCamResult(cams.layer(), one, new float[][][]{cams.heatmaps()[i]},
                    new double[]{cams.scores()[i]}, id, List.of());
            try {
                BufferedImage img = single.toImage();
                AtomicFiles.write(dir.resolve(id + ".png"), o -> ImageIO.write(img, "png", o));
            } catch (IOException | RuntimeException e) {
                log.report(files.get(id), "Grad-CAM overlay not written: " + e.getMessage());
            }
        }
    }

    private static double number(Args args, String name, double fallback) {
        String v = args.get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, got '" + v + "'");
        }
    }

    /** Image files named or found (recursively, sorted) under folders; ids are file names without extension. */
    static List<DetectionSample> collect(List<String> names, ProblemLog log) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String n : names) {
            Path p = Path.of(n);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(PredictCommand::isImage).sorted().forEach(found::add);
                }
            } else if (Files.isRegularFile(p)) {
                found.add(p);
            } else {
                throw new UsageException("no such file or folder: " + n);
            }
        }
        List<DetectionSample> out = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path f : found) {
            String id = ImageIds.of(f);
            Path other = seen.putIfAbsent(id, f);
            if (other != null) {
                log.report(f, "same image id '" + id + "' as " + other + "; only the first is predicted");
                continue;
            }
            out.add(new DetectionSample(id, f, List.of()));
        }
        return out;
    }

    private static boolean isImage(Path f) {
        return ImageIds.isImage(f.getFileName().toString());
    }

    private static void writeOverlay(Path file, ImageDetections d, Path png, ProblemLog log) {
        try {
            BufferedImage base = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")
                    ? DicomImages.readGray8(file) : ImageIO.read(file.toFile());
            BufferedImage img = BoxOverlay.truthAndPredictions(base, List.of(), d.detections(),
                    d.imageId() + ": " + d.detections().size() + " box(es)");
            AtomicFiles.write(png, o -> ImageIO.write(img, "png", o));
        } catch (IOException | RuntimeException e) {
            log.report(file, "overlay not written: " + e.getMessage());
        }
    }
}
