package org.pneumolab.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.pneumolab.data.DataConfig;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.rehearse.Rehearsal;
import org.pneumolab.rehearse.RehearsalReport;

/**
 * {@code pneumo rehearse [--scale F] [--steps N] [--eval-images K] [--seed S] [--out DIR] [--detectors LIST] [--no-classification]
 * [--weights imagenet|random] [--part all|kermany]}: the paper profile rehearsed on generated data of the real data sets' size
 * and shape (see {@link Rehearsal}); prints and writes the stage table and the extrapolation. {@code --part kermany}
 * rehearses only the Kermany classification study, uncapped, on generated Kermany data alone.
 */
final class RehearseCommand implements Command {
    private final PrintStream out;

    RehearseCommand() {
        this(System.out);
    }

    RehearseCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "rehearse";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("scale", "steps", "eval-images", "seed", "out", "detectors", "weights", "part");
    }

    @Override
    public Set<String> flags() {
        return Set.of("no-classification");
    }

    @Override
    public String usage() {
        return "[--scale F] [--steps N] [--eval-images K] [--seed S] [--out DIR] [--detectors a,b] [--no-classification] [--weights imagenet|random] [--part all|kermany]  (the paper profile on "
                + "generated real-size data, capped; a table of time, memory and disk per stage; --part kermany: the Kermany study alone, uncapped)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = parse(argv);
        if (!args.positional().isEmpty()) {
            throw new UsageException("takes no file arguments, got " + args.positional());
        }
        double scale;
        try {
            scale = Double.parseDouble(args.get("scale", "0.1"));
        } catch (NumberFormatException e) {
            throw new UsageException("--scale needs a number in (0, 1]");
        }
        int steps = (int) args.getLong("steps", 20);
        int eval = (int) args.getLong("eval-images", 300);
        long seed = args.getLong("seed", 2018);
        Rehearsal.Part part;
        try {
            part = Rehearsal.Part.of(args.get("part", "all"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            Rehearsal.Options.requireOptionsOf(part, args.options().keySet());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        // its own data, caches and runs, one folder per scale (and per part: the Kermany part
        // generates Kermany data alone), apart from the user's
        String folder = (part == Rehearsal.Part.KERMANY ? "kermany-scale-" : "scale-") + scale;
        Path root = Path.of(args.get("out", DataConfig.findProjectHome().resolve("rehearsal").resolve(folder).toString()))
                .toAbsolutePath();
        Rehearsal.Options o;
        try {
            List<Contender> detectors = new java.util.ArrayList<>();
            // the Kermany part trains none (and refused --detectors above)
            String given = part == Rehearsal.Part.KERMANY ? "" : args.get("detectors", "faster-rcnn-no-negatives,faster-rcnn,retinanet");
            for (String name : given.isEmpty() ? new String[0] : given.split(",")) {
                detectors.add(java.util.Arrays.stream(Contender.values()).filter(c -> c.runName().equals(name.trim())).findFirst()
                        .orElseThrow(() -> new UsageException("unknown detector '" + name + "'; known: "
                                + java.util.Arrays.stream(Contender.values()).map(Contender::runName).toList())));
            }
            String w = args.get("weights", "imagenet");
            if (!w.equals("imagenet") && !w.equals("random")) {
                throw new UsageException("--weights is imagenet or random, got '" + w + "'");
            }
            var weights = w.equals("random") ? org.pneumolab.weights.WeightsChoice.RANDOM : org.pneumolab.weights.WeightsChoice.IMAGENET;
            o = new Rehearsal.Options(scale, steps, eval, seed, root, !args.flag("no-classification"), detectors, weights, part);
            // before any stage (data generation takes minutes): the paper profile's weights, unless random on purpose
            org.pneumolab.classify.study.KermanyStudy.requireWeights(weights);
            if (part == Rehearsal.Part.ALL) {
                org.pneumolab.detect.study.DetectionStudy.requireWeights(
                        org.pneumolab.detect.study.StudySpec.forProfile(org.pneumolab.runtime.Profile.PAPER, seed).with(s -> s.weights(weights)));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        out.println("rehearsal in " + root + " (resumes what is there)");
        List<Rehearsal.Stage> stages = Rehearsal.run(o, out);
        String load = "load average at the end " + loadAverage() + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        String md = RehearsalReport.markdown(o, stages, load);
        Path report = root.resolve("reports").resolve("rehearsal.md");
        Files.createDirectories(report.getParent());
        AtomicFiles.writeString(report, md);
        out.println();
        out.println(md);
        out.println("wrote " + report);
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[0] + " (1 min)";
        } catch (java.io.IOException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
