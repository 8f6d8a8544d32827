package org.pneumolab.detect;

import java.util.List;
import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;

/** What the detectors' inference-copy tests share: a small bottleneck backbone, random affines, a training batch. */
final class InferenceCopyFixtures {
    static final BackboneSpec SMALL_BOTTLENECK = new BackboneSpec("small-bottleneck", 8,
            List.of(16, 16, 32, 32), List.of(1, 1, 1, 1), true);

    private InferenceCopyFixtures() {
    }

    /** Random affine scales and shifts: at their initial 1 / 0, folding would prove little. */
    static void randomiseAffines(SameDiff sd, long seed) {
        Random r = new Random(seed);
        for (SDVariable v : sd.variables()) {
            boolean scale = v.name().endsWith("_scale");
            if (scale || v.name().endsWith("_shift")) {
                INDArray a = v.getArr();
                double[] d = new double[(int) a.length()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = scale ? 0.5 + r.nextDouble() : 0.2 * r.nextGaussian();
                }
                a.assign(Nd4j.create(d, a.shape(), DataType.DOUBLE).castTo(a.dataType()));
            }
        }
    }

    /** Two images of {@code x} (1024² originals stretched to the input), one box on the first, none on the second. */
    static DetectionBatch oneBoxThenNone(INDArray x) {
        ResizeGeometry g = ResizeGeometry.stretch(1024, 1024, (int) x.size(3), (int) x.size(2));
        return new DetectionBatch(x.dup(), List.of(List.of(g.toTarget(Box.fromXywh(100, 200, 300, 300))), List.of()),
                List.of("a", "b"), List.of(g, g));
    }
}
