package org.pneumolab.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The JVM side of {@code bin/pneumo}: dispatches to the library's commands. (The shell script
 * itself handles setup, notebooks and Jupyter.)
 */
public final class Pneumo {

    static {
        // Before any logger exists (slf4j-simple reads its levels once): no ND4J import-table
        // warnings in the commands' output. In the class's initializer, so every way in gets it.
        org.pneumolab.runtime.QuietLogs.apply();
    }

    /** Every command lib offers, in the order the usage lists them. */
    static List<Command> commands() {
        return commands(System.out, System.err);
    }

    /** The commands, printing to {@code out} and {@code err} where they print results and problems. */
    static List<Command> commands(PrintStream out, PrintStream err) {
        return List.of(new EnvCommand(), new SampleCommand(), new DicomCommand(out, err), new ScoreCommand(out, err),
                new SweepCommand(out, err), new PredictCommand(out, err), new RunsCommand(out), new CompareCommand(out, err),
                new WeightsCommand(out, err), new RehearseCommand(out), new LessonsCommand());
    }

    private Pneumo() {
    }

    public static void main(String[] argv) {
        // Before any command can load ND4J: the native build is chosen once per JVM.
        org.pneumolab.runtime.FastPath.enable();
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help")) {
            usage(out);
            return argv.length == 0 ? 2 : 0;
        }
        Optional<Command> command = commands(out, err).stream().filter(c -> c.name().equals(argv[0])).findFirst();
        if (command.isEmpty()) {
            err.println("pneumo: unknown command '" + argv[0] + "'");
            usage(err);
            return 2;
        }
        Command c = command.get();
        try {
            return c.run(Arrays.asList(argv).subList(1, argv.length));
        } catch (UsageException e) {
            err.println("pneumo " + c.name() + ": " + e.getMessage());
            err.println("usage: pneumo " + c.name() + " " + c.usage());
            return 2;
        } catch (Exception e) {
            err.println("pneumo " + c.name() + ": " + e.getMessage());
            return 1;
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: pneumo <command> [args]");
        for (Command c : commands()) {
            out.println("  " + c.name() + " " + c.usage());
        }
    }
}
