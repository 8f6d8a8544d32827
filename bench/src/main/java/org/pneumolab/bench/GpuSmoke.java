package org.pneumolab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.runtime.FastPath;

/**
 * {@code gpu-smoke record DIR [--quick]} then {@code gpu-smoke compare DIR}: the GPU smoke check's
 * two halves. The recording run (CPU backend) builds a conv layer, VGG16@150 (classify.Backbones)
 * and RetinaNet and Faster R-CNN at the paper's size (as the benchmark's DetectorWork builds them),
 * writes their weights and inputs to DIR, runs a forward pass or one training step on each and
 * writes the outputs, losses, updated weights and timings too. The comparing run (any backend,
 * the CUDA one in {@code bin/pneumo gpu-check}) loads the same weights and inputs from DIR, never
 * re-seeds, repeats each computation and prints a table: differences against the recorded
 * outputs with each check's tolerance, and both runs' times. Exit status 1 when a check is outside
 * its tolerance. {@code --quick}: tiny sizes (the sample profile's detectors), no repeats, for the CPU-vs-CPU
 * unit test; its timings mean nothing.
 */
public final class GpuSmoke {
    static final long SEED = 20240501L;
    static final long STEP_SEED = 7L;
    /** Relative tolerances (difference / largest reference magnitude); why each is what it is: */
    // one 3x3 conv in float32 sums 9*C products: different summation orders (oneDNN, cuDNN) differ by ~1e-6
    static final double CONV_TOL = 1e-4;
    // 13 convs deep in float32, rounding differences grow layer by layer
    static final double VGG_TOL = 1e-3;
    // losses of a ResNet50 detector: float32 through ~60 layers plus host-side target building
    static final double LOSS_TOL = 1e-3;
    // the first Adam step moves each weight by about lr*sign(gradient): a gradient that is noise
    // (|g| near rounding) may flip, so the updates' relative L2 difference is allowed a few percent
    static final double UPDATE_TOL = 0.05;

    /** Sizes of one run. */
    record Sizes(boolean quick, int convBatch, int convSize, int convIn, int convOut, int vggBatch, int vggSize,
                 int detectorBatch, int reps) {
        static Sizes fullRun() {
            BenchConfig b = BenchConfig.full(1);
            return new Sizes(false, b.batch(), 112, 64, 128, b.batch(), b.vggSize(), b.paperBatch(), 3);
        }

        static Sizes quickRun() {
            BenchConfig b = BenchConfig.quick(1);
            return new Sizes(true, b.batch(), 16, 8, 16, b.batch(), b.vggSize(), b.detectorBatch(), 0);
        }
    }

    /** One row of the comparison: what was compared, how far apart, against which tolerance. */
    record Row(String check, String compared, double maxAbs, double relative, double tolerance, double refMs,
               double refSteadyMs, double ms, double steadyMs) {
        boolean ok() {
            return Double.isFinite(relative) && relative <= tolerance;
        }
    }

    private GpuSmoke() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.enable(); // before anything loads ND4J (the CPU run's fast path; no effect on CUDA)
        if (args.length < 2 || !(args[0].equals("record") || args[0].equals("compare"))) {
            System.err.println("usage: gpu-smoke record DIR [--quick] | gpu-smoke compare DIR");
            System.exit(2);
        }
        boolean quick = args.length > 2 && args[2].equals("--quick");
        Path dir = Path.of(args[1]);
        try {
            System.out.println("gpu-smoke: ND4J backend " + backend());
        } catch (Throwable t) { // e.g. the CUDA backend on a machine without a driver (libcuda.so.1)
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("gpu-smoke: ND4J could not start its backend (" + root.getClass().getSimpleName()
                    + "); its log above says why (e.g. libcuda.so.1 missing: no NVIDIA driver)");
            System.exit(3);
        }
        if (args[0].equals("record")) {
            record(dir, quick ? Sizes.quickRun() : Sizes.fullRun(), System.out);
        } else {
            List<Row> rows = compare(dir, System.out);
            System.exit(rows.stream().allMatch(Row::ok) ? 0 : 1);
        }
    }

    /** The backend in words: its class and, on CUDA, the device ND4J reports. */
    static String backend() {
        String name = Nd4j.getBackend().getClass().getSimpleName();
        Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
        return devices == null ? name : name + " " + devices;
    }

    // ------------------------------------------------------------------ recording (CPU)

    static void record(Path dir, Sizes s, PrintStream out) throws IOException {
        CarryOver c = CarryOver.create(dir);
        c.put("backend", backend());
        c.put("quick", String.valueOf(s.quick()));
        c.put("reps", s.reps());
        out.println("gpu-smoke: recording the reference on " + backend() + " into " + dir);

        Nd4j.getRandom().setSeed(SEED);
        INDArray x = Nd4j.rand(DataType.FLOAT, s.convBatch(), s.convIn(), s.convSize(), s.convSize());
        INDArray w = Nd4j.randn(DataType.FLOAT, 3, 3, s.convIn(), s.convOut()).muli(Math.sqrt(2.0 / (9 * s.convIn())));
        INDArray b = Nd4j.randn(DataType.FLOAT, s.convOut()).muli(0.1);
        c.putArray("conv-input", x);
        c.putArray("conv-weight", w);
        c.putArray("conv-bias", b);
        Timed<INDArray> conv = timed(() -> conv(x, w, b), s.reps());
        c.putArray("conv-output", conv.value());
        c.put("conv.ms", conv.ms());
        c.put("conv.steady_ms", conv.steadyMs());
        c.put("conv.shape", String.format("%dx%dx%dx%d -> %d channels, 3x3", s.convBatch(), s.convIn(), s.convSize(),
                s.convSize(), s.convOut()));
        out.printf(Locale.ROOT, "  conv forward: %s ms%n", ms(conv.ms(), conv.steadyMs()));

        Backbone vgg = Backbones.vgg16(s.vggSize(), SEED);
        AtomicFiles.write(c.file("vgg16.zip"), o -> ModelSerializer.writeModel(vgg.graph(), o, false));
        c.put("vgg16.weights", vgg.weights().toString());
        INDArray vx = Nd4j.rand(DataType.FLOAT, s.vggBatch(), 3, s.vggSize(), s.vggSize());
        c.putArray("vgg16-input", vx);
        Timed<INDArray> vf = timed(() -> vgg.graph().output(false, vx)[0], s.reps());
        c.putArray("vgg16-output", vf.value());
        c.put("vgg16.ms", vf.ms());
        c.put("vgg16.steady_ms", vf.steadyMs());
        c.put("vgg16.shape", String.format("%d x 3x%dx%d to %s", s.vggBatch(), s.vggSize(), s.vggSize(),
                vgg.outputVertex()));
        out.printf(Locale.ROOT, "  VGG16 forward: %s ms%n", ms(vf.ms(), vf.steadyMs()));

        DetectorWork.Pair p = s.quick() ? DetectorWork.sample(SEED) : DetectorWork.paper(SEED);
        c.put("detectors.profile", p.profile());
        DetectionBatch batch = DetectorWork.samples(s.detectorBatch(), p.size(), 1, SEED + 1);
        c.putSamples("detector-batch", batch);
        recordStep(c, "retinanet", p.retina(), batch, s, out);
        recordStep(c, "frcnn", p.frcnn(), batch, s, out);
        c.finish();
        out.println("gpu-smoke: reference written to " + dir);
    }

    private static void recordStep(CarryOver c, String name, Detector d, DetectionBatch batch, Sizes s,
                                   PrintStream out) throws IOException {
        AtomicFiles.write(c.file(name + "-before.sd"), o -> d.graph().save(o, false));
        c.put(name + ".config", d.configJson());
        c.put(name + ".lr", learningRate(d));
        long t = System.nanoTime();
        Map<String, Double> step = d.fitBatch(batch, STEP_SEED);
        double ms = (System.nanoTime() - t) / 1e6;
        AtomicFiles.write(c.file(name + "-after.sd"), o -> d.graph().save(o, false));
        c.putMap(name + ".step", step);
        c.putMap(name + ".post", d.losses(batch, STEP_SEED));
        c.put(name + ".ms", ms);
        c.put(name + ".steady_ms", steadySteps(d, batch, s.reps()));
        c.put(name + ".shape", String.format("%d images @%d, %s", batch.size(), batch.images().size(2),
                DetectorWork.backboneName(d)));
        out.printf(Locale.ROOT, "  %s training step: %s ms%n", name, ms(ms, c.number(name + ".steady_ms")));
    }

    // ------------------------------------------------------------------ comparing (any backend)

    static List<Row> compare(Path dir, PrintStream out) throws IOException {
        CarryOver c = CarryOver.open(dir);
        int reps = (int) c.number("reps");
        out.println("gpu-smoke: this run on " + backend() + "; reference (" + c.get("backend") + ") from " + dir);
        List<Row> rows = new ArrayList<>();

        rows.add(compareConv(c, reps));
        rows.add(compareVgg(c, reps));

        boolean quick = Boolean.parseBoolean(c.get("quick"));
        DetectorWork.Configs configs = quick ? DetectorWork.sampleConfigs(SEED) : DetectorWork.paperConfigs(SEED);
        DetectionBatch batch = c.samples("detector-batch");
        compareStep(c, "retinanet", "RetinaNet", sd -> RetinaNet.restore(configs.retina(), sd), batch, reps, rows);
        compareStep(c, "frcnn", "Faster R-CNN", sd -> FasterRcnn.restore(configs.frcnn(), sd), batch, reps, rows);
        printTable(rows, out);
        return rows;
    }

    static Row compareConv(CarryOver c, int reps) throws IOException {
        INDArray x = c.array("conv-input");
        INDArray w = c.array("conv-weight");
        INDArray b = c.array("conv-bias");
        Timed<INDArray> conv = timed(() -> conv(x, w, b), reps);
        return row("conv forward", c.get("conv.shape"), c.array("conv-output"), conv.value(), CONV_TOL, c, "conv",
                conv);
    }

    static Row compareVgg(CarryOver c, int reps) throws IOException {
        ComputationGraph vgg;
        try {
            vgg = ModelSerializer.restoreComputationGraph(c.file("vgg16.zip").toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IOException(c.file("vgg16.zip") + ": cannot load the VGG16 model: " + e.getMessage(), e);
        }
        INDArray vx = c.array("vgg16-input");
        Timed<INDArray> vf = timed(() -> vgg.output(false, vx)[0], reps);
        return row("VGG16 forward", c.get("vgg16.shape"), c.array("vgg16-output"), vf.value(), VGG_TOL, c, "vgg16",
                vf);
    }

    private static void compareStep(CarryOver c, String name, String label,
                                    java.util.function.Function<SameDiff, Detector> restore,
                                    DetectionBatch batch, int reps, List<Row> rows) throws IOException {
        Detector d = restore.apply(loadGraph(c.file(name + "-before.sd")));
        if (!d.configJson().equals(c.get(name + ".config"))) {
            throw new IOException(c.file(CarryOver.MANIFEST) + ": " + name + " was recorded with another configuration:\n  "
                    + c.get(name + ".config") + "\nthis build makes\n  " + d.configJson());
        }
        SameDiff before = loadGraph(c.file(name + "-before.sd"));
        SameDiff after = loadGraph(c.file(name + "-after.sd"));
        long t = System.nanoTime();
        Map<String, Double> step = d.fitBatch(batch, STEP_SEED);
        double ms = (System.nanoTime() - t) / 1e6;
        Map<String, Double> post = d.losses(batch, STEP_SEED);
        double[] upd = updateDifference(before, after, d.graph());
        double steady = steadySteps(d, batch, reps);
        String shape = c.get(name + ".shape");
        Row stepRow = lossRow(label + " step losses", shape, c.map(name + ".step"), step);
        rows.add(new Row(stepRow.check(), stepRow.compared(), stepRow.maxAbs(), stepRow.relative(), LOSS_TOL,
                c.number(name + ".ms"), c.number(name + ".steady_ms"), ms, steady));
        rows.add(new Row(label + " weight update", "all trainable weights after the step (lr "
                + c.number(name + ".lr") + ")", upd[0], upd[1], UPDATE_TOL, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN));
        rows.add(lossRow(label + " losses after the step", "same batch", c.map(name + ".post"), post));
    }

    private static SameDiff loadGraph(Path p) throws IOException {
        try {
            return SameDiff.load(p.toFile(), false);
        } catch (RuntimeException e) {
            throw new IOException(p + ": cannot load the SameDiff graph: " + e.getMessage(), e);
        }
    }

    /** Largest and relative-L2 difference of the two runs' weight updates (after - before). */
    static double[] updateDifference(SameDiff before, SameDiff refAfter, SameDiff after) throws IOException {
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        for (SDVariable v : refAfter.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            SDVariable mine = after.getVariable(v.name());
            if (mine == null || before.getVariable(v.name()) == null) {
                throw new IOException("weight '" + v.name() + "' is missing from one of the graphs");
            }
            INDArray w0 = before.getVariable(v.name()).getArr().castTo(DataType.DOUBLE);
            INDArray refDelta = v.getArr().castTo(DataType.DOUBLE).sub(w0);
            INDArray myDelta = mine.getArr().castTo(DataType.DOUBLE).sub(w0);
            INDArray d = myDelta.sub(refDelta);
            maxAbs = Math.max(maxAbs, d.amaxNumber().doubleValue());
            diff2 += d.norm2Number().doubleValue() * d.norm2Number().doubleValue();
            ref2 += refDelta.norm2Number().doubleValue() * refDelta.norm2Number().doubleValue();
        }
        return new double[] {maxAbs, ref2 == 0 ? (diff2 == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff2 / ref2)};
    }

    static Row lossRow(String check, String compared, Map<String, Double> ref, Map<String, Double> got) {
        double maxAbs = 0;
        double rel = 0;
        for (var e : ref.entrySet()) {
            Double g = got.get(e.getKey());
            double r = e.getValue();
            double diff = g == null ? Double.NaN : Math.abs(g - r);
            maxAbs = Double.isNaN(diff) ? Double.NaN : Math.max(maxAbs, diff);
            rel = Double.isNaN(diff) ? Double.NaN : Math.max(rel, diff / Math.max(Math.abs(r), 1e-6));
        }
        return new Row(check, compared + " (" + String.join(", ", ref.keySet()) + ")", maxAbs, rel, LOSS_TOL, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
    }

    static Row row(String check, String compared, INDArray ref, INDArray got, double tol, CarryOver c, String key,
                   Timed<INDArray> t) throws IOException {
        double[] d = difference(ref, got);
        return new Row(check, compared, d[0], d[1], tol, c.number(key + ".ms"), c.number(key + ".steady_ms"), t.ms(),
                t.steadyMs());
    }

    /** Largest absolute difference and that divided by the largest reference magnitude. */
    static double[] difference(INDArray ref, INDArray got) {
        if (!java.util.Arrays.equals(ref.shape(), got.shape())) {
            return new double[] {Double.NaN, Double.NaN};
        }
        INDArray r = ref.castTo(DataType.DOUBLE);
        double maxAbs = Transforms.abs(got.castTo(DataType.DOUBLE).sub(r)).maxNumber().doubleValue();
        double scale = r.amaxNumber().doubleValue();
        return new double[] {maxAbs, scale == 0 ? (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY) : maxAbs / scale};
    }

    static void printTable(List<Row> rows, PrintStream out) {
        out.println();
        out.println("| check | compared | max abs diff | relative | tolerance | within | ref ms (first / steady) "
                + "| this run ms (first / steady) | speed-up (steady) |");
        out.println("|---|---|---:|---:|---:|---|---:|---:|---:|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %.3g | %.3g | %.0e | %s | %s | %s | %s |%n", r.check(), r.compared(),
                    r.maxAbs(), r.relative(), r.tolerance(), r.ok() ? "yes" : "NO", ms(r.refMs(), r.refSteadyMs()),
                    ms(r.ms(), r.steadyMs()), Double.isNaN(r.steadyMs() + r.refSteadyMs()) ? "" : String.format(Locale.ROOT, "%.1fx",
                            r.refSteadyMs() / r.steadyMs()));
        }
        long bad = rows.stream().filter(r -> !r.ok()).count();
        out.println();
        out.println(bad == 0 ? "gpu-smoke: all " + rows.size() + " checks within tolerance"
                : "gpu-smoke: " + bad + " of " + rows.size() + " checks OUTSIDE tolerance");
    }

    private static String ms(double first, double steady) {
        if (Double.isNaN(first)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f / %s", first, Double.isNaN(steady) ? "-"
                : String.format(Locale.ROOT, "%.1f", steady));
    }

    // ------------------------------------------------------------------ shared pieces

    static INDArray conv(INDArray x, INDArray w, INDArray b) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                .dataFormat("NCHW").build();
        return Nd4j.cnn().conv2d(x, w, b, cfg);
    }

    /** A value computed once (timed: includes first-use costs) and the median of {@code reps} repeats. */
    record Timed<T>(T value, double ms, double steadyMs) {
    }

    static <T> Timed<T> timed(Supplier<T> work, int reps) {
        long t = System.nanoTime();
        T v = work.get();
        if (v instanceof INDArray a) {
            a.data().asFloat(); // the result on the host, so the time covers the device's work
        }
        double first = (System.nanoTime() - t) / 1e6;
        double[] rest = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t1 = System.nanoTime();
            T again = work.get();
            if (again instanceof INDArray a) {
                a.data().asFloat();
            }
            rest[i] = (System.nanoTime() - t1) / 1e6;
        }
        return new Timed<>(v, first, median(rest));
    }

    /** Median milliseconds of {@code reps} further training steps (the weights they reach are not compared). */
    private static double steadySteps(Detector d, DetectionBatch batch, int reps) {
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            d.fitBatch(batch, STEP_SEED + 1 + i);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return median(ms);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double learningRate(Detector d) {
        if (d instanceof RetinaNet r) {
            return r.config().learningRate();
        }
        return ((FasterRcnn) d).config().learningRate();
    }
}
