package org.pneumolab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.lessons.LessonsReport;
import org.pneumolab.runtime.Profile;

/**
 * {@code pneumo lessons}: the headline numbers of notebooks 02-05 with their intervals and the
 * lessons' verdicts, from a fresh run (detectors train into a new run folder unless {@code --runs}
 * names one), as Markdown naming the commit and machine. The README's numbers come from here.
 */
final class LessonsCommand implements Command {
    @Override
    public String name() {
        return "lessons";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("out", "sample", "runs", "seeds", "only");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public String usage() {
        return "[--out FILE.md] [--sample DIR] [--runs DIR] [--seeds K] [--only classification|detection]"
                + "  (headline numbers with 95% intervals and the lessons' verdicts from a fresh run, with commit and machine)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
        }
        int k = (int) args.getLong("seeds", 1);
        if (k < 1) {
            throw new UsageException("--seeds must be >= 1");
        }
        String only = args.get("only", "");
        if (!only.isEmpty() && !only.equals("classification") && !only.equals("detection")) {
            throw new UsageException("--only takes classification or detection, not '" + only + "'");
        }
        DataConfig config = DataConfig.load();
        if (args.flag("sample")) {
            Path sample = Path.of(args.get("sample", "")).toAbsolutePath();
            if (!Files.isDirectory(sample)) {
                throw new UsageException("--sample " + sample + ": no such folder (make one with pneumo sample --out DIR)");
            }
            config = new DataConfig(config.projectHome(), Optional.empty(), Optional.empty(), sample, config.cacheRoot(),
                    config.runsRoot());
        }
        // a fresh run folder unless told otherwise: the numbers come from training, not from old runs
        Path runs = args.flag("runs") ? Path.of(args.get("runs", "")).toAbsolutePath()
                : Files.createTempDirectory(Files.createDirectories(config.runsRoot()), "lessons-");
        LessonsReport report = new LessonsReport(Profile.current(), k, !only.equals("detection"),
                !only.equals("classification"));
        String md = report.run(config, runs, ProblemLog.toStderr());
        if (args.flag("out")) {
            LessonsReport.write(Path.of(args.get("out", "")), md);
        }
        System.out.print(md);
        return 0;
    }
}
