package org.pneumolab.cli;

import java.util.List;
import java.util.Set;

/** One subcommand of {@code bin/pneumo}. */
public interface Command {
    String name();

    /** One line: arguments and what the command does. */
    String usage();

    /**
     * The options that take a value ({@code --name VALUE}), without the dashes. The command parses
     * its arguments with exactly these and {@link #flags()} (through {@link #parse}), and a test
     * holds them against its usage and {@code bin/pneumo help}, so neither can drift from the other.
     */
    Set<String> valueOptions();

    /** The switches ({@code --name}), without the dashes. */
    Set<String> flags();

    /** The arguments, parsed with this command's own options; anything else is a usage error. */
    default Args parse(List<String> args) {
        return Args.parse(args, valueOptions(), flags());
    }

    /**
     * Runs the command.
     *
     * @return the process exit code
     * @throws UsageException for bad arguments (printed with the usage, exit 2)
     */
    int run(List<String> args) throws Exception;
}
