package org.pneumolab.classify;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How raw pixels (NCHW, 0..255, 1 or 3 channels) become a backbone's input. Grey images are
 * repeated to three channels, as Keras's flow_from_directory(color_mode="rgb") does.
 */
public enum Preprocessing {
    /** The published study's ImageDataGenerator(rescale=1/255). */
    RESCALE_0_1,
    /**
     * Keras "caffe" mode: RGB to BGR, subtract the ImageNet means, no scaling. What Keras's VGG16
     * and ResNet50 files expect (keras applications' preprocess_input, mode="caffe"), and DL4J's
     * zoo VGG16 too (Keras's file converted). Checked against numpy in KerasFilesVggTest.
     */
    CAFFE,
    /** Keras "tf" mode (InceptionV3's ImageNet weights, preprocess_input mode="tf"): scale to [-1, 1]. */
    TF;

    private static final double[] BGR_MEANS = {103.939, 116.779, 123.68};

    /** A new FLOAT array; {@code pixels} is not modified. */
    public INDArray apply(INDArray pixels) {
        if (pixels.rank() != 4) {
            throw new IllegalArgumentException("expected NCHW images, got shape " + java.util.Arrays.toString(pixels.shape()));
        }
        INDArray x = pixels.castTo(DataType.FLOAT);
        if (x.size(1) == 1) {
            x = Nd4j.concat(1, x, x, x);
        } else if (x.size(1) == 3) {
            x = x.dup();
        } else {
            throw new IllegalArgumentException("expected 1 or 3 channels, got " + x.size(1));
        }
        switch (this) {
            case RESCALE_0_1 -> x.divi(255.0);
            case TF -> x.divi(127.5).subi(1.0);
            case CAFFE -> {
                INDArray bgr = Nd4j.concat(1,
                        x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(2)).reshape(x.size(0), 1, x.size(2), x.size(3)),
                        x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1)).reshape(x.size(0), 1, x.size(2), x.size(3)),
                        x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).reshape(x.size(0), 1, x.size(2), x.size(3)));
                for (int c = 0; c < 3; c++) {
                    bgr.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).subi(BGR_MEANS[c]);
                }
                x = bgr;
            }
        }
        return x;
    }
}
