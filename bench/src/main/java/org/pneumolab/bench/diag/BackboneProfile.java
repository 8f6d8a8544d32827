package org.pneumolab.bench.diag;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.runtime.FastPath;

/**
 * Per-op profile of the detectors' ResNet50 forward, image to C5, in RetinaNet's folded NHWC
 * inference copy (what detect() runs; the bench's "ResNet50@224 forward" row): SameDiff op wall
 * time summed by type, with -DopShapes=true by convolution shape. A main, not a test.
 * Run (after a build): java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
 * org.pneumolab.bench.diag.BackboneProfile [size] [batch] [forwards]
 */
public final class BackboneProfile {
    private BackboneProfile() {
    }

    public static void main(String[] args) {
        FastPath.enable();
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 224;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int forwards = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        RetinaNet retina = RetinaNet.withRandomValues(RetinaNetConfig.paper(1).with(c -> c.inputSize(size)));
        SameDiff sd = retina.inferenceGraph();
        List<String> reads = sd.getVariables().get("fpn_lat5_W").getInputsForOp();
        String c5 = sd.getOps().get(reads.get(0)).getInputsToOp().get(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, size, size, 1);
        sd.output(Map.of("image", x), c5); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < forwards; i++) {
            sd.output(Map.of("image", x), c5);
        }
        double plain = (System.nanoTime() - t0) / 1e6 / forwards;
        OpTimer timer = new OpTimer();
        sd.addListeners(timer);
        long t1 = System.nanoTime();
        for (int i = 0; i < forwards; i++) {
            sd.output(Map.of("image", x), c5);
        }
        double listened = (System.nanoTime() - t1) / 1e6 / forwards;
        System.out.printf(Locale.ROOT, "ResNet50 to C5, folded NHWC, %d px, batch %d, %d native threads: %.0f ms per "
                + "forward (%.1f img/s); with the op timer %.0f ms%n", size, batch,
                Nd4j.getEnvironment().maxThreads(), plain, batch * 1000 / plain, listened);
        timer.print(forwards);
    }
}
