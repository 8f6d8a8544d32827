package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.Test;

/**
 * Frozen/trainable parameter counts of the assembled models, against hand-computed figures and
 * the published study's model.summary() (~0.5M trainable for VGG16@150, ~8.3M for InceptionV3@299).
 */
class ParameterCountsTest {
    /** VGG16's 13 conv layers (Keras: 14,714,688 params without top). */
    private static final long VGG16_CONV = 14_714_688L;
    /** Keras InceptionV3 notop: 21,802,784 params (BN without gamma). */
    private static final long KERAS_INCEPTION_NOTOP = 21_802_784L;

    /** Dense(64) on a flattened [C,H,W] + BN gamma/beta + 2-way output. */
    private static long headTrainable(long flat) {
        return flat * 64 + 64 + 2 * 64 + 64 * 2 + 2;
    }

    @Test
    void zooInitNamesLayersByIndexSoKerasNamesWouldFreezeNothing() {
        ComputationGraph zoo = VGG16.builder().numClasses(2).inputShape(new int[]{3, 32, 32}).build().init();
        assertFalse(zoo.getConfiguration().getVertices().containsKey("block5_pool"),
                "the zoo's init() names layers \"0\"..\"20\"");
        Backbone vgg = Backbones.vgg16(32, 1);
        assertTrue(vgg.graph().getConfiguration().getVertices().containsKey("block5_conv3"));
        assertEquals(VGG16_CONV, vgg.graph().numParams());
    }

    @Test
    void vgg16FrozenBaseLeavesOnlyTheHeadTrainable() {
        TransferModel m = TransferModel.create(Backbones.vgg16(64, 1), ClassWeights.published(), 1);
        ParameterCounts c = m.parameterCounts();
        assertEquals(VGG16_CONV, c.frozen(), "the whole conv base must be frozen");
        assertEquals(headTrainable(512 * 2 * 2), c.trainable(), "trainable = head only");
        assertEquals(128, c.batchNormStatistics());
        System.out.println("vgg16@64 frozen base: " + c);
    }

    @Test
    void vgg16AtPaperSize150() {
        TransferModel m = TransferModel.create(Backbones.vgg16(150, 1), ClassWeights.published(), 1);
        ParameterCounts c = m.parameterCounts();
        assertEquals(VGG16_CONV, c.frozen());
        assertEquals(524_610, c.trainable());
        System.out.println("vgg16@150 frozen base: " + c);

        // Fine-tuning: exactly block5_conv3 (3*3*512*512 + 512) joins the head.
        ParameterCounts ft = ParameterCounts.of(new FineTuner(m, FineTuner.VGG16_LAYER).assemble());
        assertEquals(524_610 + 2_359_808, ft.trainable());
        assertEquals(VGG16_CONV - 2_359_808, ft.frozen());
        System.out.println("vgg16@150 fine-tuning block5_conv3: " + ft);
    }

    @Test
    void inceptionV3AtPaperSize299() throws Exception {
        Backbone inc = Backbones.inceptionV3(299, 1, Optional.empty());
        long bnChannels = 0;
        for (var l : inc.graph().getLayers()) {
            if (l instanceof BatchNormalization) {
                bnChannels += l.getParam("beta").length();
            }
        }
        assertEquals(KERAS_INCEPTION_NOTOP, inc.graph().numParams() - bnChannels,
                "same as Keras once DL4J's always-present BN gamma is discounted");
        ParameterCounts c = TransferModel.create(inc, ClassWeights.published(), 1).parameterCounts();
        assertEquals(inc.graph().numParams(), c.frozen());
        assertEquals(headTrainable(2048L * 8 * 8), c.trainable());
        assertTrue(c.trainable() > 8_300_000 && c.trainable() < 8_400_000);
        System.out.println("inception_v3@299 frozen base: " + c);
    }
}
