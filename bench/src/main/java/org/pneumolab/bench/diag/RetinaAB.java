package org.pneumolab.bench.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.pneumolab.bench.DetectorWork;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.runtime.FastPath;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * An A/B of the paper RetinaNet's training step in ONE process, so both sides run under the same
 * load: A trains its backbone's batch-norm affines ({@code frozenNorm(false)}, the form before the
 * knob), B holds them as constants ({@code frozenNorm(true)}, the paper profile's default now).
 * Same seed, same weights, same batches; steps alternate A B B A per round after a warm-up step
 * each. Prints the graphs' op counts (forward and gradient function, by op name: what each step
 * runs, independent of load), the trainable variable counts, then per-variant median/min/max of
 * process CPU and wall per step, and the per-round CPU difference B - A (paired).
 * Run (after a build): java [-DopTimes=true] -cp ... org.pneumolab.bench.diag.RetinaAB [rounds] [batch]
 * ({@code PNEUMO_THREADS=1} for CPU times that the machine's load inflates least).
 */
public final class RetinaAB {
    private RetinaAB() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.enable();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        NativeThreads.useProfile(Profile.PAPER);
        // the paper configuration (pretrained) on random values: no ImageNet load, same seed, same weights
        RetinaNetConfig base = RetinaNetConfig.paper(1);
        RetinaNet a = RetinaNet.withRandomValues(base.with(c -> c.frozenNorm(false)));
        RetinaNet b = RetinaNet.withRandomValues(base.with(c -> c.frozenNorm(true)));
        DetectionBatch data = DetectorWork.samples(batch * 4, base.inputSize(), 1, 3);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double la = a.fitBatch(DetectorWork.slice(data, 0, batch), 0).get("loss");
        double lb = b.fitBatch(DetectorWork.slice(data, 0, batch), 0).get("loss");
        System.out.printf(Locale.ROOT, "warm-up loss A %.6f, B %.6f (%s)%n", la, lb, NativeThreads.describe());
        for (var e : Map.of("A (trained affines)", a, "B (frozen affines)", b).entrySet()) {
            SameDiff sd = e.getValue().graph();
            long vars = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).count();
            System.out.println(e.getKey() + ": " + vars + " trainable variables; forward ops " + census(sd)
                    + "; gradient ops " + census(sd.getFunction("grad")));
        }
        // -DopTimes=true: per-op time of each variant's timed steps (OpTimer; wall per op, so read it
        // only as the interleaved comparison it is)
        OpTimer timerA = Boolean.getBoolean("opTimes") ? new OpTimer() : null;
        OpTimer timerB = timerA == null ? null : new OpTimer();
        if (timerA != null) {
            a.graph().addListeners(timerA);
            b.graph().addListeners(timerB);
        }
        List<Double> cpuA = new ArrayList<>();
        List<Double> cpuB = new ArrayList<>();
        List<Double> wallA = new ArrayList<>();
        List<Double> wallB = new ArrayList<>();
        List<Double> diff = new ArrayList<>();
        int step = 1;
        for (int r = 0; r < rounds; r++) {
            RetinaNet[] order = r % 2 == 0 ? new RetinaNet[] {a, b, b, a} : new RetinaNet[] {b, a, a, b};
            double ra = 0;
            double rb = 0;
            for (RetinaNet d : order) {
                DetectionBatch slice = DetectorWork.slice(data, (step % 4) * batch, (step % 4 + 1) * batch);
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                d.fitBatch(slice, step++);
                double wall = (System.nanoTime() - t0) / 1e6;
                double cpu = (os.getProcessCpuTime() - c0) / 1e6;
                (d == a ? cpuA : cpuB).add(cpu);
                (d == a ? wallA : wallB).add(wall);
                if (d == a) {
                    ra += cpu;
                } else {
                    rb += cpu;
                }
            }
            diff.add((rb - ra) / 2);
            System.out.printf(Locale.ROOT, "round %d: A %.0f ms CPU, B %.0f ms CPU per step (B - A %+.0f)%n",
                    r + 1, ra / 2, rb / 2, (rb - ra) / 2);
        }
        System.out.printf(Locale.ROOT, "SUMMARY batch %d, %d steps each: CPU median A %.0f (min %.0f, max %.0f), "
                        + "B %.0f (min %.0f, max %.0f); wall median A %.0f, B %.0f; paired B - A per round median %+.0f ms "
                        + "(min %+.0f, max %+.0f); B/A CPU %.3f%n",
                batch, cpuA.size(), median(cpuA), Collections.min(cpuA), Collections.max(cpuA), median(cpuB),
                Collections.min(cpuB), Collections.max(cpuB), median(wallA), median(wallB), median(diff),
                Collections.min(diff), Collections.max(diff), median(cpuB) / median(cpuA));
        printTimers(timerA, timerB, cpuA.size());
    }

    private static void printTimers(OpTimer timerA, OpTimer timerB, int steps) {
        if (timerA != null) {
            System.out.println("A (trained affines), per-op:");
            timerA.print(steps);
            System.out.println("B (frozen affines), per-op:");
            timerB.print(steps);
        }
    }

    /** Op counts by op name, e.g. {conv2d=111, ...}. */
    static Map<String, Integer> census(SameDiff sd) {
        Map<String, Integer> m = new TreeMap<>();
        if (sd == null) {
            return m;
        }
        sd.getOps().values().forEach(o -> m.merge(o.getOp().opName(), 1, Integer::sum));
        m.put("TOTAL", sd.getOps().size());
        return m;
    }

    static double median(List<Double> v) {
        List<Double> w = new ArrayList<>(v);
        Collections.sort(w);
        int n = w.size();
        return n % 2 == 1 ? w.get(n / 2) : (w.get(n / 2 - 1) + w.get(n / 2)) / 2;
    }
}
