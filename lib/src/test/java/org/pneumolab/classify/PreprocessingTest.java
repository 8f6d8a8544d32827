package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PreprocessingTest {
    @Test
    void greyBecomesThreeChannelsInEachMode() {
        INDArray grey = Nd4j.create(new float[]{0, 51, 255, 127.5f}, new long[]{1, 1, 2, 2});
        INDArray r = Preprocessing.RESCALE_0_1.apply(grey);
        assertArrayEquals(new long[]{1, 3, 2, 2}, r.shape());
        assertEquals(0.2, r.getDouble(0, 2, 0, 1), 1e-6);
        assertEquals(1.0, Preprocessing.TF.apply(grey).getDouble(0, 1, 1, 0), 1e-6);
        assertEquals(-1.0, Preprocessing.TF.apply(grey).getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(51, grey.getDouble(0, 0, 0, 1), 0, "input untouched");
    }

    @Test
    void caffeModeIsBgrMinusImagenetMeans() {
        INDArray rgb = Nd4j.create(new float[]{10, 20, 30}, new long[]{1, 3, 1, 1});
        INDArray x = Preprocessing.CAFFE.apply(rgb);
        assertEquals(30 - 103.939, x.getDouble(0, 0, 0, 0), 1e-4);
        assertEquals(20 - 116.779, x.getDouble(0, 1, 0, 0), 1e-4);
        assertEquals(10 - 123.68, x.getDouble(0, 2, 0, 0), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.CAFFE.apply(Nd4j.zeros(1, 2, 1, 1)));
    }
}
