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
    public Set<String> valueOptions() {
        return Set.of("out", "seed", "rsna", "kermany");
    }

    @Override
    public Set<String> flags() {
        return Set.of("if-missing");
    }

    @Override
    public String usage() {
        SampleSpec d = SampleSpec.defaults();
        return "[--out DIR] [--seed N] [--rsna N] [--kermany N] [--if-missing]"
                + "  (synthetic RSNA + Kermany data; default out data/sample; --rsna N: N training patients and test"
                + " patients in the default's ratio (" + d.rsnaTrain() + " and " + d.rsnaTest() + "); --kermany N: about"
                + " N JPEGs (default " + d.kermanyImages() + "); --if-missing: only when OUT does not already hold this very sample, complete)";
    }

    /**
     * The spec the arguments ask for. {@code --rsna N} keeps the default sample's ratio of test to
     * training patients (60 to 600), so {@code --rsna 600} is the default sample, not a variant of it.
     */
    static SampleSpec spec(Args args) {
        SampleSpec defaults = SampleSpec.defaults();
        int rsna = args.getInt("rsna", defaults.rsnaTrain());
        int kermany = args.getInt("kermany", defaults.kermanyImages());
        if (rsna < 0 || kermany < 0) {
            throw new UsageException("--rsna and --kermany must not be negative");
        }
        SampleSpec spec = defaults.withSeed(args.getLong("seed", defaults.seed()));
        if (args.options().containsKey("rsna")) {
            long test = rsna == 0 ? 0 : Math.max(1, Math.round((double) rsna * defaults.rsnaTest() / defaults.rsnaTrain()));
            spec = spec.withRsna(rsna, (int) test);
        }
        return spec.withKermany(kermany);
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
        }
        SampleSpec spec = spec(args);
        Path out = args.options().containsKey("out") ? Path.of(args.get("out", "")) : DataConfig.load().sampleRoot();
        SampleGenerator.Summary summary = args.flag("if-missing")
                ? SampleGenerator.generateIfMissing(spec, out)
                : SampleGenerator.generate(spec, out);
        System.out.println(summary);
        return 0;
    }
}
