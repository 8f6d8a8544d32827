package org.pneumolab.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.pneumolab.io.DataProblem;
import org.pneumolab.labels.DetailedClasses;
import org.pneumolab.labels.RsnaLabels;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Submission;

/**
 * {@code pneumo score LABELS.csv SUBMISSION.csv [--classes DETAILED.csv] [--split NAME] [--seed N] [--lenient] [--json]}:
 * the RSNA competition metric of a submission against ground truth, AP50 and, with the detailed
 * classes, false positives per image by class.
 *
 * <p>Strict by default: a malformed row (a confidence that is NaN, infinite or not a number, a
 * negative size, the wrong number of values), a duplicate patientId or a labels file without
 * boxes stops the command with exit 1, naming file and line. {@code --lenient} skips such rows
 * and the printed result says how many rows and patients were dropped. Labelled patients
 * missing from the submission are named in a warning (they are scored as images without boxes,
 * as Kaggle does). {@code --json} prints every number at full precision.
 */
final class ScoreCommand implements Command {
    /** How many missing patient ids a warning names before it counts the rest. */
    static final int NAMED_IN_WARNING = 10;
    /** The bootstrap's seed unless {@code --seed} says otherwise. */
    static final long DEFAULT_SEED = 2018;

    private final PrintStream out;
    private final PrintStream err;

    ScoreCommand() {
        this(System.out, System.err);
    }

    ScoreCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "score";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("classes", "split", "seed");
    }

    @Override
    public Set<String> flags() {
        return Set.of("lenient", "json");
    }

    @Override
    public String usage() {
        return "LABELS.csv SUBMISSION.csv [--classes DETAILED.csv] [--split NAME] [--seed N] [--lenient] [--json]"
                + "  (RSNA metric, AP50, false positives per image by class, with 95% bootstrap intervals over images;"
                + " strict about malformed rows unless --lenient)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (args.positional().size() != 2) {
            throw new UsageException("needs LABELS.csv and SUBMISSION.csv, got " + args.positional().size()
                    + " file argument(s)");
        }
        Path labelsFile = existing(args.positional().get(0));
        Path submissionFile = existing(args.positional().get(1));
        InputReport input = new InputReport(args.flag("lenient"));
        RsnaLabels labels = RsnaLabels.read(labelsFile);
        input.add("labels", labelsFile, labels.problems(), labels.droppedPatients());
        checkLabelsHaveBoxes(labelsFile, labels, input);
        Submission submission = Submission.read(submissionFile);
        input.add("submission", submissionFile, submission.problems(), submission.droppedPatients());
        Map<String, String> classes = Map.of();
        String classesOption = args.get("classes", null);
        if (classesOption != null) {
            Path classesFile = existing(classesOption);
            DetailedClasses detailed = DetailedClasses.read(classesFile);
            input.add("classes", classesFile, detailed.problems(), Set.of());
            classes = detailed.labels();
        }
        if (input.stop(name(), err)) {
            return 1;
        }
        List<String> missing = new ArrayList<>();
        for (String id : labels.boxes().keySet()) {
            if (!submission.predictions().containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            err.printf(Locale.ROOT, "warning: %d labelled patient(s) are missing from %s and are scored as images"
                    + " without predicted boxes: %s%s%n", missing.size(), submissionFile,
                    String.join(", ", missing.subList(0, Math.min(NAMED_IN_WARNING, missing.size()))),
                    missing.size() > NAMED_IN_WARNING ? ", ..." : "");
        }
        // Every metric names its split; without --split the labels file names it.
        String split = args.get("split", labelsFile.getFileName().toString().replaceFirst("\\.csv$", ""));
        RsnaResult result = RsnaMetric.evaluate(split, labels.boxes(), submission.predictions(), classes);
        if (Double.isNaN(result.score())) {
            err.println("error: " + labelsFile + ": no image has a box in the labels or the submission;"
                    + " the RSNA metric is undefined");
            return 1;
        }
        // 95% intervals: images resampled with replacement (B=1000) from a fixed seed, so a rerun prints the same
        DetectionEstimates intervals = DetectionBootstrap.over(split, labels.boxes(),
                Bootstrap.seeded(args.getLong("seed", DEFAULT_SEED))).estimate(submission.predictions());
        if (args.flag("json")) {
            JsonObject o = ResultJson.rsna(result, intervals);
            JsonObject counts = new JsonObject();
            counts.addProperty("labelRows", labels.rows());
            counts.addProperty("labelPatients", labels.boxes().size());
            counts.addProperty("labelBoxes", labels.boxCount());
            counts.addProperty("submissionPatients", submission.predictions().size());
            counts.addProperty("missingFromSubmission", missing.size());
            o.add("counts", counts);
            o.addProperty("lenient", input.lenient());
            o.add("dropped", input.droppedJson());
            o.add("problems", input.problemsJson());
            JsonArray m = new JsonArray();
            missing.forEach(m::add);
            o.add("missingFromSubmission", m);
            out.println(ResultJson.print(o));
        } else {
            out.println(result);
            out.println("with 95% intervals:");
            out.println(intervals.toString().replaceAll("(?m)^", "  "));
            String dropped = input.droppedLine();
            if (!dropped.isEmpty()) {
                out.println(dropped);
            }
            if (!missing.isEmpty()) {
                out.printf(Locale.ROOT, "missing from the submission, scored as empty: %d labelled patient(s)%n", missing.size());
            }
        }
        return 0;
    }

    /**
     * No label rows, or no box at all: almost surely the wrong file. Header-only is fatal (nothing
     * to score against); rows without any box are an error unless lenient, which warns and scores
     * (images without truth still count their false positives).
     */
    void checkLabelsHaveBoxes(Path file, RsnaLabels labels, InputReport input) {
        if (labels.boxes().isEmpty()) {
            input.fatal(new DataProblem(file, 1, labels.rows() == 0
                    ? "only a header: no label rows, nothing to score against"
                    : "none of the " + labels.rows() + " label rows is usable"));
        } else if (labels.boxCount() == 0) {
            DataProblem p = new DataProblem(file, 1, "no boxes: " + labels.boxes().size()
                    + " patient(s), none with a Target 1 row (is this the labels file?)");
            if (input.lenient()) {
                err.println("warning: " + p);
            } else {
                input.fatal(p);
            }
        }
    }

    static Path existing(String name) {
        Path p = Path.of(name);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("no such file: " + name);
        }
        return p;
    }
}
