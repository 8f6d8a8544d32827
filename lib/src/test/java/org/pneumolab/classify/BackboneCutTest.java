package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A base cut at an earlier vertex computes exactly that vertex's activations of the full base
 * (weights, BatchNorm statistics and preprocessors carried over), holds nothing after the cut, and
 * rejects unknown vertices and Grad-CAM layers that do not feed the cut.
 */
class BackboneCutTest {
    @Test
    void vggCutMatchesFullBaseAndEndsThere() {
        Backbone full = Backbones.vgg16(32, 5);
        Backbone cut = full.cutAt("block3_pool", "block3_conv3");
        var x = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32).muli(255);
        var expected = new Featurizer(full, "block3_pool").activations(x);
        assertEquals(expected, Featurizer.bottleneck(cut).activations(x));
        assertEquals("block3_pool", cut.outputVertex());
        assertEquals("block3_conv3", cut.gradCamLayer());
        assertNull(cut.graph().getConfiguration().getVertices().get("block4_conv1"));
        assertArrayEquals(new long[]{256, 4, 4}, cut.activationShape("block3_pool"));
        assertTrue(cut.graph().numParams() < full.graph().numParams());
        assertSame(full, full.cutAt("block5_pool", "block5_conv3"));
    }

    @Test
    void inceptionCutAtMergeVertexMatchesFullBase() throws Exception {
        Backbone full = Backbones.inceptionV3(75, 5, java.util.Optional.empty());
        Backbone cut = full.cutAt("mixed0", "mixed0");
        var x = Nd4j.rand(DataType.FLOAT, 2, 3, 75, 75).muli(255);
        var expected = new Featurizer(full, "mixed0").activations(x);
        var got = Featurizer.bottleneck(cut).activations(x);
        assertTrue(expected.equalsWithEps(got, 1e-5), "cut activations differ from the full base's");
        assertNull(cut.graph().getConfiguration().getVertices().get("mixed1"));
    }

    @Test
    void badCutsAreRejectedWithTheName() {
        Backbone full = Backbones.vgg16(32, 5);
        var noVertex = assertThrows(IllegalArgumentException.class, () -> full.cutAt("block9_pool", "block3_conv3"));
        assertTrue(noVertex.getMessage().contains("block9_pool"));
        var late = assertThrows(IllegalArgumentException.class, () -> full.cutAt("block3_pool", "block5_conv3"));
        assertTrue(late.getMessage().contains("block5_conv3"));
    }
}
