package org.pneumolab.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pneumolab.metrics.DetailedClasses;
import org.pneumolab.metrics.RsnaLabels;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Submission;

/**
 * {@code pneumo score LABELS.csv SUBMISSION.csv [--classes DETAILED.csv] [--split NAME]}: the
 * RSNA competition metric of a submission against ground truth, AP50 and, with the detailed
 * classes, false positives per image by class. Skipped lines are listed on stderr.
 */
final class ScoreCommand implements Command {
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
    public String usage() {
        return "LABELS.csv SUBMISSION.csv [--classes DETAILED.csv] [--split NAME]  (RSNA metric, AP50, "
                + "false positives per image by class)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("classes", "split"), Set.of());
        if (args.positional().size() != 2) {
            throw new UsageException("needs LABELS.csv and SUBMISSION.csv, got " + args.positional().size()
                    + " file argument(s)");
        }
        Path labelsFile = existing(args.positional().get(0));
        Path submissionFile = existing(args.positional().get(1));
        RsnaLabels labels = RsnaLabels.read(labelsFile);
        report(labels.problems());
        Submission submission = Submission.read(submissionFile);
        report(submission.problems());
        Map<String, String> classes = Map.of();
        String classesOption = args.get("classes", null);
        if (classesOption != null) {
            DetailedClasses detailed = DetailedClasses.read(existing(classesOption));
            report(detailed.problems());
            classes = detailed.classes();
        }
        // Every metric names its split; without --split the labels file names it.
        String split = args.get("split", labelsFile.getFileName().toString().replaceFirst("\\.csv$", ""));
        RsnaResult result = RsnaMetric.evaluate(split, labels.boxes(), submission.predictions(), classes);
        out.println(result);
        return 0;
    }

    private static Path existing(String name) {
        Path p = Path.of(name);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("no such file: " + name);
        }
        return p;
    }

    private void report(List<String> problems) {
        for (String p : problems) {
            err.println("skipped " + p);
        }
    }
}
