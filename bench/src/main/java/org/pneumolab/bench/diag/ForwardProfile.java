package org.pneumolab.bench.diag;

import java.util.Locale;
import java.util.Optional;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.InferenceGraph;
import org.pneumolab.runtime.FastPath;

/**
 * Per-op profile of a classification base's forward (a main, not a test): the graph as built
 * ({@code classify.Backbones}) and its folded NHWC inference graph ({@link InferenceGraph}, what
 * the featurize pass runs), one warm-up each, then one profiled forward each, with wall and
 * process-CPU time and ND4J's per-op-type totals (its OpProfiler).
 * Run (after a build): java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
 * org.pneumolab.bench.diag.ForwardProfile [inception|vgg] [size] [batch]
 */
public final class ForwardProfile {
    private ForwardProfile() {
    }

    public static void main(String[] args) throws Exception {
        FastPath.enable();
        String model = args.length > 0 ? args[0] : "inception";
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 299;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Backbone base = model.equals("vgg") ? Backbones.vgg16(size, 1) : Backbones.inceptionV3(size, 1, Optional.empty());
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
        InferenceGraph folded = InferenceGraph.of(base, base.outputVertex(), CNN2DFormat.NHWC);
        base.graph().outputSingle(false, x);
        folded.output(x);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (String which : new String[] {"as built (NCHW)", "folded NHWC (InferenceGraph)"}) {
            OpProfiler.getInstance().reset();
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            if (which.startsWith("as built")) {
                base.graph().outputSingle(false, x);
            } else {
                folded.output(x);
            }
            double wall = (System.nanoTime() - t0) / 1e6;
            double cpu = (os.getProcessCpuTime() - c0) / 1e6;
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
            System.out.printf(Locale.ROOT, "=== %s %d px, batch %d, %s: wall %.0f ms, process CPU %.0f ms (%.1f ms/img)%n",
                    model, size, batch, which, wall, cpu, cpu / batch);
            OpProfiler.getInstance().printOutDashboard();
        }
    }
}
