package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InceptionV3GraphTest {
    @Test
    void buildsWithKerasNamesAndRunsForwardAt75() throws Exception {
        Backbone inc = Backbones.inceptionV3(75, 3, Optional.empty());
        var vertices = inc.graph().getConfiguration().getVertices();
        for (String name : new String[]{"conv2d_1", "batch_normalization_1", "activation_1", "conv2d_94",
                "batch_normalization_94", "mixed9_0", "mixed9_1", "concatenate_2"}) {
            assertNotNull(vertices.get(name), name);
        }
        for (int i = 0; i <= 10; i++) {
            assertNotNull(vertices.get("mixed" + i), "mixed" + i);
        }
        assertTrue(vertices.get("conv2d_95") == null, "Keras InceptionV3 has 94 convolutions");
        INDArray out = new Featurizer(inc, "mixed10").activations(Nd4j.rand(1, 1, 75, 75).muli(255));
        assertArrayEquals(new long[]{1, 2048, 1, 1}, out.shape());
        assertArrayEquals(new long[]{2048, 8, 8}, Backbones.inceptionV3(299, 3, Optional.empty()).activationShape("mixed10"));
        assertArrayEquals(new long[]{288, 35, 35}, Backbones.inceptionV3(299, 3, Optional.empty()).activationShape("mixed2"));
    }

    @Test
    void rejectsInputsBelow75() {
        assertThrows(IllegalArgumentException.class, () -> InceptionV3Graph.configuration(74, 1));
    }
}
