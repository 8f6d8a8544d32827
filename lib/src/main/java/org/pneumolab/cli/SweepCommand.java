package org.pneumolab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.metrics.RsnaLabels;
import org.pneumolab.metrics.Submission;
import org.pneumolab.sweep.Lever;
import org.pneumolab.sweep.RawDetections;
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
    public String usage() {
        return "LABELS.csv VAL_RAW.csv HELDOUT_RAW.csv [--test TEST_RAW.csv] [--out DIR]  (post-processing "
                + "sweep: choose on validation, report on held-out, optional submission)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("test", "out"), Set.of());
        if (args.positional().size() != 3) {
            throw new UsageException("needs LABELS.csv, VAL_RAW.csv and HELDOUT_RAW.csv, got "
                    + args.positional().size() + " file argument(s)");
        }
        RsnaLabels labels = RsnaLabels.read(existing(args.positional().get(0)));
        labels.problems().forEach(p -> err.println("skipped " + p));
        RawDetections val = raw(existing(args.positional().get(1)));
        RawDetections held = raw(existing(args.positional().get(2)));
        Path dir = Path.of(args.get("out", "runs/sweep"));
        SweepReport report = SweepReport.chooseOnValidation(val, held, labels.boxes(), SweepGrid.standard());
        out.println(report);
        AtomicFiles.writeString(dir.resolve("report.txt"), report + "\n");
        AtomicFiles.writeString(dir.resolve("sweep_" + val.split() + ".csv"), csv(report));
        for (Lever l : Lever.values()) {
            XYChart c = SweepCharts.lever(report.sweep(), l, SweepReport.PUBLISHED);
            AtomicFiles.writeBytes(dir.resolve("metric_vs_" + l.name().toLowerCase() + ".png"),
                    BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new SweepHeatmap(report.sweep(), SweepReport.PUBLISHED).toImage(), "png", png);
        AtomicFiles.writeBytes(dir.resolve("heatmap_threshold_x_nms.png"), png.toByteArray());
        String test = args.get("test", null);
        if (test != null) {
            RawDetections t = raw(existing(test));
            Path file = dir.resolve("submission.csv");
            SweepSubmission.write(file, t, report.chosen().settings());
            out.println("submission with the chosen settings (" + t.detections().size() + " images): " + file);
        }
        out.println("table, charts and report in " + dir);
        return 0;
    }

    private RawDetections raw(Path file) throws Exception {
        Submission s = Submission.read(file);
        s.problems().forEach(p -> err.println("skipped " + p));
        return new RawDetections(file.getFileName().toString().replaceFirst("\\.csv$", ""), s.predictions(),
                s.problems());
    }

    private static String csv(SweepReport report) {
        StringBuilder b = new StringBuilder();
        var t = report.sweep().table();
        b.append(String.join(",", t.columnNames())).append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            for (int c = 0; c < t.columnCount(); c++) {
                b.append(c == 0 ? "" : ",").append(t.column(c).getString(r));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Path existing(String name) {
        Path p = Path.of(name);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("no such file: " + name);
        }
        return p;
    }
}
