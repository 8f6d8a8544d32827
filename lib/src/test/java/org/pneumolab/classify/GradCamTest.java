package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Grad-CAM localisation. A random base localises nothing reliably (measured: peaks cluster at
 * one border), so the base here is VGG16 with "copy" kernels (each output channel repeats one
 * input channel through the centre tap): every block5_conv3 channel is then a max-pooled copy of
 * the image, the head learns "brighter means pneumonia", and a correct Grad-CAM (right layer,
 * gradient sign, channel weighting, row/column order, upsampling) must peak on the blob.
 */
class GradCamTest {
    private static final int SIZE = 48;

    private static void copyKernels(Backbone vgg) {
        for (String name : Backbones.VGG16_LAYERS) {
            if (!name.contains("conv")) {
                continue;
            }
            Layer l = vgg.graph().getLayer(name);
            INDArray w = l.getParam("W");          // [out, in, 3, 3]
            w.assign(0);
            long in = w.size(1);
            for (long o = 0; o < w.size(0); o++) {
                w.putScalar(new long[]{o, o % in, 1, 1}, 1.0);
            }
            l.getParam("b").assign(0);
        }
    }

    @Test
    void heatmapPeaksOnTheBlob() {
        Backbone vgg = Backbones.vgg16(SIZE, 3);
        copyKernels(vgg);
        SyntheticBlobs train = SyntheticBlobs.generate(32, SIZE, 11);
        SyntheticBlobs test = SyntheticBlobs.generate(16, SIZE, 12);
        Featurizer f = Featurizer.bottleneck(vgg);
        FeatureSet tr = new FeatureSet(f.activations(train.images()), train.oneHot());
        FeatureSet te = new FeatureSet(f.activations(test.images()), test.oneHot());
        TransferModel model = TransferModel.create(vgg, ClassWeights.none(), 1e-3, 3);
        model.fitHead(tr, te, new TransferModel.Fit(10, 16, 3));

        int[] positives = java.util.stream.IntStream.range(0, 16).filter(i -> test.labels()[i] == 1).toArray();
        INDArray imgs = test.images().get(NDArrayIndex.indices(java.util.Arrays.stream(positives).mapToLong(i -> i).toArray()));
        for (String layer : new String[]{"block5_conv3", "block4_conv3"}) {
            GradCamResult cam = GradCam.compute(model, layer, imgs);
            assertEquals(SIZE, cam.heatmaps()[0].length);
            assertEquals(SIZE, cam.heatmaps()[0][0].length);
            // within one cell of the layer's grid (16 px at block5_conv3, 8 px at block4_conv3 for 48 px)
            double cell = SIZE / (double) vgg.activationShape(layer)[1];
            int near = 0;
            StringBuilder where = new StringBuilder();
            for (int k = 0; k < positives.length; k++) {
                int[] peak = cam.peak(k);
                int[] c = test.centres()[positives[k]];
                where.append(String.format(" peak(%d,%d)/blob(%d,%d)", peak[0], peak[1], c[0], c[1]));
                if (Math.hypot(peak[0] - c[0], peak[1] - c[1]) <= cell) {
                    near++;
                }
            }
            System.out.println("Grad-CAM " + layer + ": peak within a cell of the blob in " + near + "/" + positives.length
                    + ":" + where);
            assertTrue(near >= positives.length - 1, layer + ": peak near the blob in only " + near + "/" + positives.length);
        }
        // Images without a blob: the bright-is-pneumonia head finds much less evidence.
        GradCamResult neg = GradCam.compute(model, test.images().get(NDArrayIndex.interval(0, 2)));
        assertTrue(neg.scores()[0] < GradCam.compute(model, imgs).scores()[0]);
    }
}
