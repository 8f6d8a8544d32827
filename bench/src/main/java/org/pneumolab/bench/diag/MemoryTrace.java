package org.pneumolab.bench.diag;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import javax.management.ObjectName;

import org.bytedeco.javacpp.Pointer;
import org.pneumolab.bench.DetectorWork;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.runtime.FastPath;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * Where the bench's native memory goes: the paper-profile detector stages as the bench runs them
 * (a RetinaNet and a Faster R-CNN built per batch size, each trained then run in inference), with
 * resident memory, JavaCPP's counters, the Java heap and the live instances of the classes that
 * own native buffers printed after every phase, and again once the stage's models are dropped and
 * collected. What a full bench run's out-of-memory failure (issue #22, runs 9 and 10) reads.
 * Run (after a build): java [-Drelease=true] -cp ... org.pneumolab.bench.diag.MemoryTrace [steps] [batches, e.g. 8,2]
 */
public final class MemoryTrace {
    /** {@code -Drelease=true}: {@link Detector#releaseCaches} after every phase, as the bench does after every row. */
    private static final boolean RELEASE = Boolean.getBoolean("release");

    private MemoryTrace() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.enable();
        if (args.length > 0 && args[0].equals("backbone")) {
            backbone(args.length > 1 ? Integer.parseInt(args[1]) : 8);
            return;
        }
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String[] batches = (args.length > 1 ? args[1] : "8,2").split(",");
        report("start");
        for (String bs : batches) {
            int b = Integer.parseInt(bs);
            NativeThreads.useProfile(Profile.PAPER);
            RetinaNetConfig rc = RetinaNetConfig.paper(20240501L);
            Detector[] pair = {RetinaNet.withRandomValues(rc),
                    FasterRcnn.withRandomValues(FasterRcnnConfig.paper(20240501L, false))};
            report("b" + b + " built");
            DetectionBatch train = DetectorWork.samples(b, rc.inputSize(), 1, 1);
            DetectionBatch infer = DetectorWork.samples(b, rc.inputSize(), 1, 2);
            for (Detector d : pair) {
                String name = d.getClass().getSimpleName();
                for (int i = 0; i < steps; i++) {
                    d.fitBatch(train, i);
                }
                afterPhase(d, "b" + b + " " + name, "trained " + steps);
                for (int i = 0; i < steps; i++) {
                    d.detect(infer, PostProcess.DEFAULT);
                }
                afterPhase(d, "b" + b + " " + name, "inferred " + steps);
            }
            pair = null;
            train = null;
            infer = null;
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(500);
            }
            report("b" + b + " dropped + gc");
            // JavaCPP's own retry calls malloc_trim(0) (private in 1.5.7): what glibc keeps but no one holds
            java.lang.reflect.Method trim = Pointer.class.getDeclaredMethod("trimMemory");
            trim.setAccessible(true);
            trim.invoke(null);
            report("b" + b + " malloc_trim");
        }
    }

    /**
     * The bench's ResNet50 stage alone: the paper RetinaNet's backbone run to C5, on the training
     * graph and on the inference copy, then everything dropped, and what one GC (the bench's, with
     * a 200 ms wait) and then three more give back before and after a trim.
     */
    private static void backbone(int b) throws Exception {
        report("start");
        NativeThreads.useProfile(Profile.PAPER);
        RetinaNet retina = RetinaNet.withRandomValues(RetinaNetConfig.paper(20240501L));
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, b, 1, 224, 224);
        for (org.nd4j.autodiff.samediff.SameDiff sd : new org.nd4j.autodiff.samediff.SameDiff[] {retina.graph(),
                retina.inferenceGraph()}) {
            String c5 = sd.getOps().get(sd.getVariables().get("fpn_lat5_W").getInputsForOp().get(0)).getInputsToOp().get(0);
            org.nd4j.linalg.api.ndarray.INDArray in = sd == retina.graph() ? x : x.permute(0, 2, 3, 1).dup();
            for (int i = 0; i < 10; i++) {
                sd.output(java.util.Map.of("image", in), c5).get(c5).close();
            }
            report("C5 x10 " + (sd == retina.graph() ? "training graph" : "inference copy"));
        }
        caches(retina);
        retina = null;
        x = null;
        System.gc();
        Thread.sleep(200);
        report("dropped, 1 gc + 200 ms");
        org.pneumolab.runtime.NativeMemory.trim();
        report("  + malloc_trim");
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(500);
        }
        report("3 more gc + 500 ms");
        org.pneumolab.runtime.NativeMemory.trim();
        report("  + malloc_trim");
    }

    /** The report after a phase, and with {@link #RELEASE} the release and the report after it. */
    private static void afterPhase(Detector d, String who, String phase) throws Exception {
        report(who + " " + phase);
        caches(d);
        if (RELEASE) {
            d.releaseCaches();
            report(who + " released");
            caches(d);
        }
    }

    /** The bytes held in the array caches of a detector's SameDiff sessions (training and inference). */
    private static void caches(Detector d) throws Exception {
        StringBuilder sb = new StringBuilder("       caches:");
        Object held = field(d, "session");
        if (held != null) {
            Object ts = field(held, "session");
            sb.append(" training ").append(mb(((org.nd4j.autodiff.samediff.internal.AbstractSession<?, ?>) ts)));
        }
        sb.append(" | graph ").append(sessions(d.graph()));
        Object frozen = field(d, "frozen");
        if (frozen != null) {
            sb.append(" | inference copy ").append(sessions((org.nd4j.autodiff.samediff.SameDiff) frozen));
        }
        System.out.println(sb);
    }

    private static String sessions(org.nd4j.autodiff.samediff.SameDiff sd) {
        StringBuilder sb = new StringBuilder();
        for (var e : sd.getSessions().entrySet()) {
            sb.append("thread ").append(e.getKey()).append(' ').append(mb(e.getValue())).append(' ');
        }
        return sb.toString();
    }

    private static String mb(org.nd4j.autodiff.samediff.internal.AbstractSession<?, ?> s) {
        if (s instanceof org.nd4j.autodiff.samediff.internal.InferenceSession is
                && is.getMmgr() instanceof org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr m) {
            return String.format(Locale.ROOT, "%.0f/%.0f MB", m.getCurrentCacheSize() / 1e6, m.getMaxCacheBytes() / 1e6);
        }
        return s == null ? "-" : "(" + (s instanceof org.nd4j.autodiff.samediff.internal.InferenceSession is
                ? is.getMmgr().getClass().getSimpleName() : s.getClass().getSimpleName()) + ")";
    }

    private static Object field(Object o, String name) throws Exception {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // up the hierarchy
            }
        }
        return null;
    }

    private static void report(String phase) throws Exception {
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "[mem] %-32s rss %6.2f GB | javacpp total %6.2f GB, physical %6.2f GB | heap %5.0f MB%n",
                phase, rss / 1e9, Pointer.totalBytes() / 1e9, Pointer.physicalBytes() / 1e9,
                (rt.totalMemory() - rt.freeMemory()) / 1e6);
        String histo = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histo.split("\n")) {
            if (line.matches(".*(\\.SameDiff|NDArray|DataBuffer|RetinaNet|FasterRcnn|Session|ArrayCacheMemoryMgr"
                    + "|OpaqueDataBuffer|Workspace|DetectionBatch)\\s*$")) {
                System.out.println("       " + line.trim());
            }
        }
    }
}
