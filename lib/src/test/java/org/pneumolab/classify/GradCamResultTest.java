package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The Grad-CAM picture: a title row, one cell per image, true classes matched to images. */
class GradCamResultTest {
    private static GradCamResult two() {
        float[][][] maps = new float[2][8][8];
        maps[0][2][3] = 1;
        return new GradCamResult("block3_conv3", Nd4j.zeros(DataType.FLOAT, 2, 1, 8, 8), maps, new double[]{0.9, 0.1});
    }

    @Test
    void labelledGridHasTitleRowAndOneCellPerImage() {
        GradCamResult r = two().labelled("VGG16: Grad-CAM of P(pneumonia) at block3_conv3, test split",
                List.of("PNEUMONIA", "NORMAL"));
        var img = r.toImage();
        assertEquals(2 * 192, img.getWidth());
        assertEquals(26 + 192 + 18, img.getHeight());
        assertEquals(List.of(2, 3), List.of(r.peak(0)[0], r.peak(0)[1]));
    }

    @Test
    void trueClassesMustMatchTheImages() {
        var e = assertThrows(IllegalArgumentException.class, () -> two().labelled("t", List.of("NORMAL")));
        assertEquals("1 true classes for 2 images", e.getMessage());
    }
}
