package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class NmsAndPostProcessTest {
    private static final Detection A = new Detection(new Box(0, 0, 10, 10), 0.9);
    private static final Detection A_SHIFTED = new Detection(new Box(1, 0, 11, 10), 0.8); // IoU 90/110
    private static final Detection A_HALF = new Detection(new Box(5, 0, 15, 10), 0.7); // IoU 1/3 with A
    private static final Detection FAR = new Detection(new Box(50, 50, 60, 60), 0.3);

    @Test
    void greedyNmsByHand() {
        List<Detection> in = List.of(FAR, A_HALF, A, A_SHIFTED);
        assertEquals(List.of(A, A_HALF, FAR), Nms.apply(in, 0.5));
        // stricter: A_HALF overlaps A by 1/3 > 0.3 and goes too
        assertEquals(List.of(A, FAR), Nms.apply(in, 0.3));
        // A_SHIFTED is suppressed by A; A_HALF vs A_SHIFTED (IoU 6/14) never compared because
        // suppressed boxes suppress nothing
        assertEquals(List.of(A, A_SHIFTED, A_HALF, FAR), Nms.apply(in, 0.95));
    }

    @Test
    void iouMatrixIsRowsByColumns() {
        Box a = new Box(0, 0, 10, 10);
        double[][] m = IouMatrix.of(List.of(a), List.of(a, new Box(5, 0, 15, 10)));
        assertEquals(1.0, m[0][0]);
        assertEquals(1.0 / 3, m[0][1], 1e-12);
        double[][] flat = IouMatrix.of(List.of(a), new double[] {0, 0, 10, 10, 5, 0, 15, 10, 20, 20, 30, 30});
        assertArrayEquals(new double[] {1.0, 1.0 / 3, 0.0}, flat[0], 1e-12);
    }

    @Test
    void postProcessThresholdNmsLimitShrink() {
        List<Detection> in = List.of(FAR, A_HALF, A, A_SHIFTED);
        PostProcess pp = new PostProcess(0.5, 0.5, 1, 0.5);
        List<Detection> out = pp.apply(in);
        assertEquals(1, out.size());
        assertEquals(0.9, out.get(0).score());
        assertEquals(new Box(2.5, 2.5, 7.5, 7.5), out.get(0).box());
        // raw mode keeps everything, sorted, no NMS
        List<Detection> raw = PostProcess.raw(100).apply(in);
        assertEquals(List.of(A, A_SHIFTED, A_HALF, FAR), raw);
        // threshold drops FAR only
        assertEquals(List.of(A, A_HALF), PostProcess.DEFAULT.withScoreThreshold(0.5).apply(in));
        var img = PostProcess.DEFAULT.apply(new ImageDetections("p1", in));
        assertEquals("p1", img.imageId());
        assertEquals(3, img.detections().size());
    }
}
