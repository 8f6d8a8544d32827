package org.pneumolab.cli;

import java.util.List;

/** One subcommand of {@code bin/pneumo}. */
public interface Command {
    String name();

    /** One line: arguments and what the command does. */
    String usage();

    /**
     * Runs the command.
     *
     * @return the process exit code
     * @throws UsageException for bad arguments (printed with the usage, exit 2)
     */
    int run(List<String> args) throws Exception;
}
