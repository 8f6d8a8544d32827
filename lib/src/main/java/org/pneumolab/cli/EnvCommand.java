package org.pneumolab.cli;

import java.util.List;
import java.util.Set;

/** {@code pneumo env}: what this JVM runs on (versions, backend, SIMD build, data). */
final class EnvCommand implements Command {
    @Override
    public String name() {
        return "env";
    }

    @Override
    public String usage() {
        return "  (Java, DL4J and ND4J versions, backend and native build, cores, memory, data location)";
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
    public int run(List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("env takes no arguments");
        }
        System.out.println(EnvironmentReport.collect().toText());
        return 0;
    }
}
