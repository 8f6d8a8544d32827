package org.pneumolab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.pneumolab.data.DataConfig;
import org.pneumolab.runs.Runs;

/** {@code pneumo runs [DIR]}: every scored run (detectors and classifiers) under DIR (default: the runs folder) as a table. */
final class RunsCommand implements Command {
    private final PrintStream out;

    RunsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of();
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public String usage() {
        return "runs [DIR]  list the scored runs under DIR (default: the runs folder), detectors and classifiers: model, what"
                + " differs from the study's defaults, kept epoch, validation metric, held-out metric [95% CI] with split and n"
                + " (RSNA metric; classifiers: test ROC AUC), training time and date";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (args.positional().size() > 1) {
            throw new UsageException("at most one folder");
        }
        Path dir = args.positional().isEmpty() ? DataConfig.load().runsRoot() : Path.of(args.positional().get(0));
        var table = Runs.table(dir);
        if (table.rowCount() == 0) {
            out.println(dir + ": no scored run (run notebooks 02-04, or `bin/pneumo run`, first)");
            return 0;
        }
        out.println(table.printAll());
        return 0;
    }
}
