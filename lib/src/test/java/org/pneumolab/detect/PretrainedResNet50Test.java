package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pneumolab.image.Normalization;
import org.pneumolab.weights.KerasFiles;
import org.pneumolab.weights.KerasH5;

/**
 * ResNet50 from Keras files with random values in both real namings, into the detectors' SameDiff
 * backbone, against an independent numpy ResNet50 (keras_files.py) computing Keras's network from
 * the same file: C3, C4 and C5 (the features RetinaNet's FPN and Faster R-CNN use) within 1e-4
 * relative L2. The grey input's fold into the first convolution is checked against the 3-channel
 * caffe computation it replaces.
 */
class PretrainedResNet50Test {
    private static final int SIZE = 32; // the smallest input VGG16 and ResNet50 take: keeps the check to seconds
    /** The Keras 2.2.4+ file is made once and shared by the two tests that need it (a few seconds each). */
    @TempDir
    static Path shared;
    private static boolean sharedMade;

    private static synchronized Path keras224() throws Exception {
        if (!sharedMade) {
            KerasFiles.make("resnet50", SIZE, shared);
            sharedMade = true;
        }
        return shared;
    }

    private static SameDiff backbone(int channels, SDVariable[] feats) {
        SameDiff sd = SameDiff.create();
        SDVariable img = sd.placeHolder("image", DataType.FLOAT, -1, channels, SIZE, SIZE);
        var f = ResNetBackbone.build(new GraphBuilder(sd, DataType.FLOAT, 1), img, channels, BackboneSpec.RESNET50);
        feats[0] = f.c3();
        feats[1] = f.c4();
        feats[2] = f.c5();
        return sd;
    }

    private static void matchesReference(String kind, PretrainedResNet50.Naming naming, Path dir) throws Exception {
        KerasH5.Contents c = KerasH5.read(dir.resolve("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"));
        assertEquals(naming, PretrainedResNet50.naming(c));
        SDVariable[] feats = new SDVariable[3];
        SameDiff sd = backbone(3, feats);
        assertEquals(PretrainedResNet50.kerasNames(naming).size(), PretrainedResNet50.copy(PretrainedResNet50.fromKeras(c, naming), sd,
                PretrainedResNet50.StemInput.caffe(), "test"));
        Map<String, INDArray> out = sd.output(Map.of("image", KerasFiles.array(dir, "x")),
                feats[0].name(), feats[1].name(), feats[2].name());
        String[] names = {"c3", "c4", "c5"};
        for (int i = 0; i < 3; i++) {
            INDArray ref = KerasFiles.array(dir, names[i]);
            INDArray ours = out.get(feats[i].name());
            assertArrayEquals(ref.shape(), ours.shape(), names[i]);
            double err = KerasFiles.relativeL2(ours, ref);
            assertTrue(err < 1e-4, kind + " " + names[i] + ": relative L2 " + err);
        }
    }

    @Test
    void keras224NamingMatchesNumpyResNet50() throws Exception {
        matchesReference("resnet50", PretrainedResNet50.Naming.KERAS_2_2_4, keras224());
    }

    @Test
    void legacyNamingMatchesNumpyResNet50(@TempDir Path dir) throws Exception {
        KerasFiles.make("resnet50-legacy", SIZE, dir);
        matchesReference("resnet50-legacy", PretrainedResNet50.Naming.LEGACY, dir);
    }

    /**
     * The grey input (ImageNet-normalised, one channel) through the folded first convolution
     * equals Keras's caffe computation on the grey pixel repeated to BGR, at every interior patch.
     */
    @Test
    void greyInputFoldEqualsCaffeOnRepeatedPixels() throws Exception {
        Path dir = keras224();
        KerasH5.Contents c = KerasH5.read(dir.resolve("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"));
        var src = PretrainedResNet50.fromKeras(c, PretrainedResNet50.Naming.KERAS_2_2_4);
        SameDiff grey = backbone(1, new SDVariable[3]);
        PretrainedResNet50.copy(src, grey, PretrainedResNet50.StemInput.grey(Normalization.IMAGENET), "test");
        INDArray w1 = grey.getVariable("stem-cnn1_W").getArr().castTo(DataType.DOUBLE);   // [7,7,1,64]
        INDArray b1 = grey.getVariable("stem-cnn1_b").getArr().castTo(DataType.DOUBLE);
        INDArray w3 = src.get("stem-cnn1").kernel().castTo(DataType.DOUBLE);               // [7,7,3,64]
        INDArray b3 = src.get("stem-cnn1").bias().castTo(DataType.DOUBLE);
        double m = Normalization.IMAGENET.mean(0, 1);
        double s = Normalization.IMAGENET.std(0, 1);
        Nd4j.getRandom().setSeed(5);
        for (int trial = 0; trial < 5; trial++) {
            INDArray v = Nd4j.rand(DataType.DOUBLE, 7, 7).muli(255);          // Nd4j.rand: seeded below          // a grey 7x7 patch, 0..255
            INDArray x = v.div(255).sub(m).div(s);                            // what the pipeline feeds
            INDArray ours = Nd4j.tensorMmul(x.reshape(7, 7, 1), w1, new int[][]{{0, 1, 2}, {0, 1, 2}}).add(b1);
            INDArray caffe = b3.dup();
            for (int ch = 0; ch < 3; ch++) {
                INDArray wc = w3.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(ch), NDArrayIndex.all());
                caffe.addi(Nd4j.tensorMmul(v.sub(PretrainedResNet50.CAFFE_BGR_MEANS[ch]), wc, new int[][]{{0, 1}, {0, 1}}));
            }
            double err = KerasFiles.relativeL2(ours, caffe);
            assertTrue(err < 1e-5, "fold differs by " + err + " (trial " + trial + ")");
        }
    }

    @Test
    void aFileOfAnotherNetworkIsRefusedNamingWhatItHas(@TempDir Path dir) throws Exception {
        KerasFiles.make("vgg16-k2", 32, dir);
        KerasH5.Contents c = KerasH5.read(dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"));
        IOException e = assertThrows(IOException.class, () -> PretrainedResNet50.naming(c));
        assertTrue(e.getMessage().contains("vgg16_weights") && e.getMessage().contains("block1_conv1"), e.getMessage());
    }
}
