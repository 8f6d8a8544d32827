package org.pneumolab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.sweep.HeldOutComparison;
import org.pneumolab.sweep.SplitScorer;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.io.CsvFile;
import org.pneumolab.io.DataProblem;
import org.pneumolab.labels.RsnaLabels;
import org.pneumolab.metrics.Submission;
import org.pneumolab.sweep.Lever;
import org.pneumolab.sweep.SettingsComparison;
import org.pneumolab.sweep.RawDetections;
import org.pneumolab.sweep.Ensemble;
import org.pneumolab.sweep.EnsembleGrid;
import org.pneumolab.sweep.EnsembleReport;
import org.pneumolab.sweep.Source;
import org.pneumolab.sweep.SweepCharts;
import org.pneumolab.sweep.SweepGrid;
import org.pneumolab.sweep.SweepHeatmap;
import org.pneumolab.sweep.SweepReport;
import org.pneumolab.sweep.SweepSubmission;

/**
 * {@code pneumo sweep LABELS.csv VAL_RAW.csv HELDOUT_RAW.csv [--test TEST_RAW.csv] [--out DIR]}:
 * sweeps post-processing on raw detections given as Kaggle submission files (exported with a very
 * low threshold and no NMS, by any detector: ours, torchvision, keras-retinanet), chooses on the
 * validation file, reports on the held-out file, and writes the grid table, charts, the report
 * and, with {@code --test}, a submission with the chosen settings. Split names are the file names.
 *
 * <p>{@code pneumo sweep LABELS.csv --raw [NAME=]VAL.csv,HELDOUT.csv[,VAL_MIRRORED.csv,HELDOUT_MIRRORED.csv] --raw ...}:
 * one {@code --raw} per detection source (a detector), with its raw detections of the mirrored
 * images (flip test-time augmentation, boxes already in the original image's pixels) when given;
 * the ensemble levers (sources, flip TTA, WBF by IoU / NMS over the union) are swept in front of
 * the post-processing ones, chosen on validation and reported on held-out against the best
 * single model and the case study's settings, paired.
 */
final class SweepCommand implements Command {
    private final PrintStream out;
    private final PrintStream err;

    SweepCommand() {
        this(System.out, System.err);
    }

    SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("test", "out", "seed", "raw");
    }

    @Override
    public Set<String> flags() {
        return Set.of("lenient", "json");
    }

    @Override
    public String usage() {
        return "LABELS.csv (VAL_RAW.csv HELDOUT_RAW.csv | --raw [NAME=]VAL.csv,HELDOUT.csv[,VAL_MIRRORED.csv,"
                + "HELDOUT_MIRRORED.csv] ...) [--test TEST_RAW.csv] [--out DIR] [--seed N] [--lenient] [--json]"
                + "  (post-processing sweep: choose on validation, report on held-out, optional submission;"
                + " --raw once per detector adds the ensemble levers: sources, flip TTA, WBF / NMS fusion;"
                + " strict about malformed rows unless --lenient)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (!args.values("raw").isEmpty()) {
            return runEnsemble(args);
        }
        if (args.positional().size() != 3) {
            throw new UsageException("needs LABELS.csv, VAL_RAW.csv and HELDOUT_RAW.csv, got "
                    + args.positional().size() + " file argument(s)");
        }
        InputReport input = new InputReport(args.flag("lenient"));
        Path labelsFile = ScoreCommand.existing(args.positional().get(0));
        RsnaLabels labels = RsnaLabels.read(labelsFile);
        input.add("labels", labelsFile, labels.problems(), labels.droppedPatients());
        if (labels.boxCount() == 0) {
            input.fatal(new DataProblem(labelsFile, 1, labels.rows() == 0 ? "only a header: no label rows"
                    : "no boxes: no usable Target 1 row (is this the labels file?)"));
        }
        RawDetections val = raw("validation", ScoreCommand.existing(args.positional().get(1)), input);
        RawDetections held = raw("held-out", ScoreCommand.existing(args.positional().get(2)), input);
        String test = args.get("test", null);
        RawDetections t = test == null ? null : raw("test", ScoreCommand.existing(test), input);
        if (input.stop(name(), err)) {
            return 1;
        }
        Path dir = Path.of(args.get("out", "runs/sweep"));
        SweepReport report = SweepReport.chooseOnValidation(val, held, labels.boxes(), SweepGrid.standard());
        AtomicFiles.writeString(dir.resolve("report.txt"), report + "\n");
        writeTable(dir.resolve("sweep_" + val.split() + ".csv"), report);
        for (Lever l : Lever.values()) {
            XYChart c = SweepCharts.lever(report.sweep(), l, SweepReport.PUBLISHED);
            AtomicFiles.writeBytes(dir.resolve("metric_vs_" + l.name().toLowerCase() + ".png"),
                    BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new SweepHeatmap(report.sweep(), SweepReport.PUBLISHED).toImage(), "png", png);
        AtomicFiles.writeBytes(dir.resolve("heatmap_threshold_x_nms.png"), png.toByteArray());
        // 95% intervals for every row on both splits, and the chosen settings against each other row
        // on held-out, paired (the same resampled images for both): images resampled, B=1000, fixed seed
        long seed = args.getLong("seed", ScoreCommand.DEFAULT_SEED);
        HeldOutComparison heldOut = HeldOutComparison.of(report, held, labels.boxes(), seed);
        DetectionBootstrap onVal = DetectionBootstrap.over(val.split(), SplitScorer.groundTruthOf(val, labels.boxes()),
                Bootstrap.seeded(seed));
        List<DetectionEstimates> valIntervals = report.rows().stream()
                .map(r -> onVal.estimate(SplitScorer.apply(val, r.settings()))).toList();
        Path submission = null;
        if (t != null) {
            submission = dir.resolve("submission.csv");
            SweepSubmission.write(submission, t, report.chosen().settings());
        }
        if (args.flag("json")) {
            out.println(ResultJson.print(json(report, valIntervals, heldOut, input, submission, t)));
            return 0;
        }
        printReport(report, heldOut.intervals(), heldOut.verdicts(), input);
        if (submission != null) {
            out.println("submission with the chosen settings (" + t.detections().size() + " images): " + submission);
        }
        out.println("table, charts and report in " + dir);
        return 0;
    }

    /** The {@code --raw} form: several sources, the ensemble levers in front of the post-processing ones. */
    private int runEnsemble(Args args) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("with --raw, give only LABELS.csv as a file argument (the detections come with "
                    + "--raw), got " + args.positional().size() + " file argument(s)");
        }
        if (args.get("test", null) != null) {
            throw new UsageException("--test goes with the single-source form LABELS.csv VAL_RAW.csv HELDOUT_RAW.csv");
        }
        InputReport input = new InputReport(args.flag("lenient"));
        Path labelsFile = ScoreCommand.existing(args.positional().get(0));
        RsnaLabels labels = RsnaLabels.read(labelsFile);
        input.add("labels", labelsFile, labels.problems(), labels.droppedPatients());
        if (labels.boxCount() == 0) {
            input.fatal(new DataProblem(labelsFile, 1, labels.rows() == 0 ? "only a header: no label rows"
                    : "no boxes: no usable Target 1 row (is this the labels file?)"));
        }
        List<Source> val = new ArrayList<>();
        List<Source> held = new ArrayList<>();
        for (String spec : args.values("raw")) {
            String name = null;
            String files = spec;
            int eq = spec.indexOf('=');
            if (eq > 0) {
                name = spec.substring(0, eq);
                files = spec.substring(eq + 1);
            }
            String[] f = files.split(",", -1);
            if (f.length != 2 && f.length != 4) {
                throw new UsageException("--raw " + spec + ": give VAL.csv,HELDOUT.csv or VAL.csv,HELDOUT.csv,"
                        + "VAL_MIRRORED.csv,HELDOUT_MIRRORED.csv (comma-separated, no spaces)");
            }
            Path valFile = ScoreCommand.existing(f[0]);
            if (name == null) {
                name = valFile.getFileName().toString().replaceFirst("\\.csv$", "");
            }
            RawDetections v = raw(VALIDATION, name + " validation", valFile, input);
            RawDetections h = raw(HELD_OUT, name + " held-out", ScoreCommand.existing(f[1]), input);
            RawDetections vm = f.length == 4 ? raw(VALIDATION, name + " validation, mirrored", ScoreCommand.existing(f[2]), input) : null;
            RawDetections hm = f.length == 4 ? raw(HELD_OUT, name + " held-out, mirrored", ScoreCommand.existing(f[3]), input) : null;
            val.add(new Source(name, v, vm));
            held.add(new Source(name, h, hm));
        }
        if (input.stop(name(), err)) {
            return 1;
        }
        Path dir = Path.of(args.get("out", "runs/sweep"));
        long seed = args.getLong("seed", ScoreCommand.DEFAULT_SEED);
        EnsembleGrid grid = EnsembleGrid.standard(val, SweepGrid.standard());
        EnsembleReport report = EnsembleReport.chooseOnValidation(val, held, labels.boxes(), grid, seed);
        AtomicFiles.writeString(dir.resolve("ensemble_report.txt"), report + "\n\n" + report.sentences() + "\n");
        writeCsv(dir.resolve("ensembles_" + VALIDATION + ".csv"), report.sweep().table());
        List<String> largest = report.sweep().largestSourceSet();
        boolean flip = grid.flips().contains(true);
        if (grid.ensembles().contains(Ensemble.wbf(largest, flip, grid.wbfIous()[0]))) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(report.sweep().fusionHeatmap(largest, flip).toImage(), "png", png);
            AtomicFiles.writeBytes(dir.resolve("heatmap_wbf_iou_x_threshold.png"), png.toByteArray());
        }
        if (args.flag("json")) {
            out.println(ResultJson.print(ensembleJson(report, input)));
            return 0;
        }
        printReport(report, report.intervals(), report.verdicts(), input);
        out.println("tables, heatmap and report in " + dir);
        return 0;
    }

    private static final String VALIDATION = "validation";
    private static final String HELD_OUT = "held-out";

    /** The text form both sweeps print: the report, the held-out intervals, the verdicts, what was dropped. */
    private void printReport(Object report, tech.tablesaw.api.Table intervals, List<Verdict> verdicts, InputReport input) {
        out.println(report);
        out.println();
        out.println(intervals.printAll());
        out.println();
        for (Verdict v : verdicts) {
            out.println(v.sentence());
        }
        String dropped = input.droppedLine();
        if (!dropped.isEmpty()) {
            out.println(dropped);
        }
    }

    private static JsonObject ensembleJson(EnsembleReport report, InputReport input) {
        JsonObject o = new JsonObject();
        o.addProperty("validationSplit", report.sweep().split());
        o.addProperty("ensembles", report.sweep().entries().size());
        o.addProperty("gridPoints", report.sweep().grid().size());
        o.addProperty("chosenEnsemble", report.chosen().ensemble().describe());
        o.add("chosen", ResultJson.postProcess(report.chosen().settings()));
        JsonArray rows = new JsonArray();
        for (EnsembleReport.Row row : report.rows()) {
            JsonObject r = new JsonObject();
            r.addProperty("name", row.name());
            r.addProperty("ensemble", row.ensemble().describe());
            r.add("settings", ResultJson.postProcess(row.settings()));
            r.addProperty("validationMetric", row.validation().score());
            r.add("heldOut", ResultJson.intervals(row.heldOut()));
            rows.add(r);
        }
        o.add("rows", rows);
        o.add("heldOutVerdicts", ResultJson.verdicts(report.verdicts()));
        o.addProperty("lenient", input.lenient());
        o.add("dropped", input.droppedJson());
        o.add("problems", input.problemsJson());
        return o;
    }

    /** Raw detections of one file under a split name of our choosing (sources must share split names). */
    private static RawDetections raw(String split, String role, Path file, InputReport input) throws Exception {
        Submission s = Submission.read(file);
        input.add(role, file, s.problems(), s.droppedPatients());
        List<String> skipped = s.problems().stream().map(DataProblem::toString).toList();
        return new RawDetections(split, s.predictions(), skipped);
    }

    private static JsonObject json(SweepReport report, List<DetectionEstimates> valIntervals, HeldOutComparison heldOut,
            InputReport input, Path submission, RawDetections test) {
        JsonObject o = new JsonObject();
        o.addProperty("validationSplit", report.sweep().split());
        o.addProperty("validationImages", report.sweep().images());
        o.addProperty("gridPoints", report.sweep().points().size());
        o.add("chosen", ResultJson.postProcess(report.chosen().settings()));
        JsonArray rows = new JsonArray();
        for (int i = 0; i < report.rows().size(); i++) {
            SettingsComparison c = report.rows().get(i);
            JsonObject r = new JsonObject();
            r.addProperty("name", c.name());
            r.add("settings", ResultJson.postProcess(c.settings()));
            r.add("validation", ResultJson.rsna(c.validation(), valIntervals.get(i)));
            r.add("heldOut", ResultJson.rsna(c.heldOut(), heldOut.estimates().get(i)));
            org.pneumolab.io.JsonNumbers.put(r, "gap", c.gap(), "the metric is undefined on a split");
            rows.add(r);
        }
        o.add("settings", rows);
        o.add("heldOutVerdicts", ResultJson.verdicts(heldOut.verdicts()));
        if (submission != null) {
            o.addProperty("submission", submission.toString());
            o.addProperty("submissionImages", test.detections().size());
        }
        o.addProperty("lenient", input.lenient());
        o.add("dropped", input.droppedJson());
        o.add("problems", input.problemsJson());
        return o;
    }

    private static RawDetections raw(String role, Path file, InputReport input) throws Exception {
        Submission s = Submission.read(file);
        input.add(role, file, s.problems(), s.droppedPatients());
        List<String> skipped = s.problems().stream().map(DataProblem::toString).toList();
        return new RawDetections(file.getFileName().toString().replaceFirst("\\.csv$", ""), s.predictions(), skipped);
    }

    /** The grid table as CSV, through the CSV library. */
    private static void writeTable(Path file, SweepReport report) throws java.io.IOException {
        writeCsv(file, report.sweep().table());
    }

    private static void writeCsv(Path file, tech.tablesaw.api.Table t) throws java.io.IOException {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < t.columnCount(); c++) {
                row.add(t.column(c).getString(r));
            }
            rows.add(row);
        }
        CsvFile.write(file, t.columnNames(), rows);
    }

}
