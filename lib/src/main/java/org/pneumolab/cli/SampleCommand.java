package org.pneumolab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.pneumolab.data.DataConfig;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * {@code pneumo sample}: writes the synthetic RSNA and Kermany sample. With {@code --if-missing}
 * it returns at once when a complete sample of the same spec is already there (the launcher
 * calls it that way before every notebook run).
 */
final class SampleCommand implements Command {
    @Override
    public String name() {
        return "sample";
    }

    @Override
    public String usage() {
        return "[--out DIR] [--seed N] [--rsna N] [--kermany N] [--if-missing]"
                + "  (synthetic RSNA + Kermany data; default out data/sample, --rsna N = train patients, test N/5)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("out", "seed", "rsna", "kermany"), Set.of("if-missing"));
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
        }
        SampleSpec defaults = SampleSpec.defaults();
        int rsna = args.getInt("rsna", defaults.rsnaTrain());
        int kermany = args.getInt("kermany", defaults.kermanyImages());
        if (rsna < 0 || kermany < 0) {
            throw new UsageException("--rsna and --kermany must not be negative");
        }
        SampleSpec spec = defaults.withSeed(args.getLong("seed", defaults.seed()));
        if (args.options().containsKey("rsna")) {
            spec = spec.withRsna(rsna);
        }
        spec = spec.withKermany(kermany);
        Path out = args.options().containsKey("out") ? Path.of(args.get("out", "")) : DataConfig.load().sampleRoot();
        SampleGenerator.Summary summary = args.flag("if-missing")
                ? SampleGenerator.generateIfMissing(spec, out)
                : SampleGenerator.generate(spec, out);
        System.out.println(summary);
        return 0;
    }
}
