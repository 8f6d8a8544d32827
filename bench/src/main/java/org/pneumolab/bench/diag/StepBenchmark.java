package org.pneumolab.bench.diag;

import java.util.List;
import java.util.Locale;

import org.pneumolab.bench.DetectorWork;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.bench.DetectorWork;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;

/**
 * Ad-hoc benchmark (a main, not a test): ms per training step and per inference image of the
 * sample-profile detectors (or the paper profile's RetinaNet) on the bench's seeded synthetic detection samples, optionally with a
 * per-op profile ({@code -DopTimes=true}, see {@link OpTimer}).
 * Run (after a build): java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
 * org.pneumolab.bench.diag.StepBenchmark [steps] [batch] [all|retina|frcnn|paper-retina]
 */
public final class StepBenchmark {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String which = args.length > 2 ? args[2] : "all";
        System.out.println(NativeThreads.describe());
        if (which.equals("all") || which.equals("retina")) {
            RetinaNetConfig rc = RetinaNetConfig.sample(1);
            bench("retinanet " + rc.backbone().name() + " " + rc.inputSize() + "px", RetinaNet.create(rc), rc.inputSize(), steps, batch);
        }
        if (which.equals("paper-retina")) { // the paper profile's RetinaNet (ResNet50 at 224), random weights
            RetinaNetConfig rc = RetinaNetConfig.paper(1);
            bench("retinanet " + rc.backbone().name() + " " + rc.inputSize() + "px", RetinaNet.withRandomValues(rc), rc.inputSize(),
                    steps, batch);
        }
        if (which.equals("all") || which.equals("frcnn")) {
            FasterRcnnConfig fc = FasterRcnnConfig.sample(1, false);
            bench("faster-rcnn " + fc.backbone().name() + " " + fc.inputSize() + "px", FasterRcnn.create(fc), fc.inputSize(), steps, batch);
        }
    }

    /** Times {@code steps} training steps of {@code d} at batch {@code batch}, then inference; prints one line. */
    public static void bench(String name, Detector d, int size, int steps, int batch) {
        DetectionBatch data = DetectorWork.samples(batch * (steps + 1), size, 1, 3);
        d.fitBatch(DetectorWork.slice(data, 0, batch), 0); // warm-up: graph setup, first allocations
        OpTimer timer = Boolean.getBoolean("opTimes") ? new OpTimer() : null;
        if (timer != null) {
            d.graph().addListeners(timer);
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        double last = Double.NaN;
        for (int s = 1; s <= steps; s++) {
            last = d.fitBatch(DetectorWork.slice(data, s * batch, (s + 1) * batch), s).get("loss");
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        double cpuMs = (os.getProcessCpuTime() - c0) / 1e6 / steps;
        if (timer != null) {
            timer.print(steps);
        }
        var inf = d.detectAll(java.util.List.of(DetectorWork.slice(data, 0, Math.min(8, data.size())), DetectorWork.slice(data, Math.min(8, data.size()), Math.min(16, data.size()))).iterator(), PostProcess.DEFAULT);
        inf = d.detectAll(java.util.List.of(DetectorWork.slice(data, 0, Math.min(8, data.size())), DetectorWork.slice(data, Math.min(8, data.size()), Math.min(16, data.size()))).iterator(), PostProcess.DEFAULT);
        System.out.printf(Locale.ROOT, "%s: batch %d, %.0f ms/step wall, %.0f ms/step process CPU (%d steps, last loss %.4f), inference %.1f ms/image%n",
                name, batch, ms, cpuMs, steps, last, inf.msPerImage());
    }
}
