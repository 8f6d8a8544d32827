package org.pneumolab.bench.diag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.pneumolab.bench.DetectorWork;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.detect.SameDiffDetector;
import org.pneumolab.runtime.FastPath;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * Consecutive training steps of the paper-profile RetinaNet ({@code -Dmodel=frcnn}: Faster R-CNN
 * on C4) (ResNet50 at 224, random weights,
 * the paper profile's thread policy), one line per step: wall and process-CPU time, resident
 * memory and page faults (from /proc/self), then median, min, max and spread of the wall times:
 * what an A/B of a change to the training step reads. With {@code idle} as third argument it then
 * prints READY and idles until its standard input closes (a JVM with ND4J's native threads alive
 * and idle, for the peer experiment in docs/PERF.md).
 * With {@code -Dinfer=true} each "step" is instead one inference call ({@code detect} of the batch,
 * post-processing included, as the bench's inference row) after one training step.
 * With {@code -DopTimesFrom=N} it sums wall time per SameDiff op type over steps N to the last
 * ({@link OpTimer}): the settled steps' profile (the first ~15 steps run while the JIT compiles).
 * Run (after a build): java [-Dmodel=frcnn] [-DfrozenNorm=false] [-DopTimesFrom=N] -cp ... org.pneumolab.bench.diag.RetinaSteps [steps] [batch] [idle]
 */
public final class RetinaSteps {
    private RetinaSteps() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.enable();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        boolean idle = args.length > 2 && args[2].equals("idle");
        NativeThreads.useProfile(Profile.PAPER);
        // -DfrozenNorm=false: the backbone's affines train (the form before RetinaNetConfig.frozenNorm);
        // unset: the paper profile's default (frozen)
        String frozen = System.getProperty("frozenNorm");
        RetinaNetConfig rc = RetinaNetConfig.paper(1).with(c -> {
            if (frozen != null) {
                c.frozenNorm(Boolean.parseBoolean(frozen));
            }
        });
        System.out.println("frozenNorm " + rc.frozenNorm());
        // -Dmodel=frcnn: the paper-profile Faster R-CNN (C4) instead, built as the bench builds it
        boolean frcnn = "frcnn".equals(System.getProperty("model"));
        SameDiffDetector<?> d = frcnn
                ? FasterRcnn.withRandomValues(FasterRcnnConfig.paper(1, false))
                : RetinaNet.withRandomValues(rc);  // the paper graph; random values, no ImageNet load
        System.out.println("model " + (frcnn ? "Faster R-CNN (C4)" : "RetinaNet"));
        DetectionBatch data = DetectorWork.samples(batch * (steps + 1), rc.inputSize(), 1, 3);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        d.fitBatch(DetectorWork.slice(data, 0, batch), 0); // warm-up
        List<Double> wall = new ArrayList<>();
        long[] f0 = faults();
        int opTimesFrom = Integer.getInteger("opTimesFrom", 0);
        boolean infer = Boolean.getBoolean("infer");
        OpTimer timer = new OpTimer();
        for (int s = 1; s <= steps; s++) {
            if (s == opTimesFrom) {
                (infer ? d.inferenceGraph() : d.graph()).addListeners(timer);
            }
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            DetectionBatch slice = DetectorWork.slice(data, (s % (steps + 1)) * batch, (s % (steps + 1) + 1) * batch);
            double loss = infer ? d.detect(slice, PostProcess.DEFAULT).size() : d.fitBatch(slice, s).get("loss");
            double ms = (System.nanoTime() - t0) / 1e6;
            double cpu = (os.getProcessCpuTime() - c0) / 1e6;
            long[] f = faults();
            System.out.printf(Locale.ROOT,
                    "step %2d: %6.0f ms wall, %6.0f ms CPU (user %6d, sys %5d), RSS %5d MB, minor faults %7d, major %d, loss %.6f%n",
                    s, ms, cpu, (f[2] - f0[2]) * 10, (f[3] - f0[3]) * 10, rssMb(), f[0] - f0[0], f[1] - f0[1], loss);
            f0 = f;
            wall.add(ms);
        }
        List<Double> w = new ArrayList<>(wall);
        Collections.sort(w);
        int n = w.size();
        double median = n % 2 == 1 ? w.get(n / 2) : (w.get(n / 2 - 1) + w.get(n / 2)) / 2;
        System.out.printf(Locale.ROOT, "SUMMARY batch %d, %d steps: median %.0f ms, min %.0f, max %.0f, spread %.0f%% (%s)%n",
                batch, n, median, w.get(0), w.get(n - 1), 100 * (w.get(n - 1) - w.get(0)) / median, NativeThreads.describe());
        if (opTimesFrom > 0 && opTimesFrom <= steps) {
            System.out.println("per-op wall time, steps " + opTimesFrom + "-" + steps + ":");
            timer.print(steps - opTimesFrom + 1);
        }
        if (idle) {
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // idle until the caller closes our input
            }
        }
    }

    /**
     * Minor and major page faults of this process so far, then its user and system CPU time in
     * clock ticks (/proc/self/stat fields 10, 12, 14 and 15; a tick is 10 ms on Linux x86-64):
     * the system share is what fresh pages cost the kernel.
     */
    static long[] faults() throws IOException {
        String s = Files.readString(Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[7]), Long.parseLong(f[9]), Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    static long rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
