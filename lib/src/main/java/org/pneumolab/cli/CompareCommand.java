package org.pneumolab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.pneumolab.runs.Runs;

/**
 * {@code pneumo compare RUN_A RUN_B}: spec differences and A minus B, paired over the held-out (a
 * classifier's: test) images both were scored on; two detectors or two classifiers.
 */
final class CompareCommand implements Command {
    private final PrintStream out;
    private final PrintStream err;

    CompareCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "compare";
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
        return "compare RUN_A RUN_B  what differs in two runs' specs (two detectors or two classifiers), and A minus B on every"
                + " held-out metric with its 95% paired bootstrap interval (runs on different splits are refused)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (args.positional().size() != 2) {
            throw new UsageException("needs two run folders");
        }
        try {
            out.print(Runs.compare(Path.of(args.positional().get(0)), Path.of(args.positional().get(1))));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
