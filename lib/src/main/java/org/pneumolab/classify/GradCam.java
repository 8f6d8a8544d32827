package org.pneumolab.classify;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Grad-CAM (Selvaraju et al. 2017) for the PNEUMONIA logit at a chosen conv layer: channel
 * weights are the spatially averaged gradients of the logit w.r.t. the layer's activation; the
 * map is ReLU(sum_c weight_c * activation_c), bilinearly upsampled to the input size.
 */
public final class GradCam {
    private GradCam() {
    }

    /** Grad-CAM at the backbone's default layer (block5_conv3 / mixed10). */
    public static GradCamResult compute(TransferModel model, INDArray pixels) {
        return compute(model, model.backbone().gradCamLayer(), pixels);
    }

    /**
     * @param layer  a base vertex on the single chain before the base output (VGG16's convs of
     *               block 5, or InceptionV3's mixed10)
     * @param pixels raw images [N, 1|3, H, W], 0..255
     */
    public static GradCamResult compute(TransferModel model, String layer, INDArray pixels) {
        INDArray act = new Featurizer(model.backbone(), layer).activations(pixels);
        MultiLayerNetwork tail = GraphTail.logits(model.backbone(), layer, model.head(), model.seed());
        long n = act.size(0);
        INDArray pneumonia = Nd4j.zeros(DataType.FLOAT, n, 2);
        pneumonia.getColumn(1).assign(1.0);
        INDArray grads = tail.calculateGradients(act, pneumonia, null, null).getSecond();
        INDArray weights = grads.mean(2, 3);                                  // [N, C]
        INDArray weighted = act.mul(weights.reshape(n, act.size(1), 1, 1));   // broadcast over h, w
        INDArray cam = weighted.sum(1);                                       // [N, h, w]
        cam = org.nd4j.linalg.ops.transforms.Transforms.relu(cam, false);
        int h = (int) pixels.size(2);
        int w = (int) pixels.size(3);
        float[][][] maps = new float[(int) n][][];
        for (int i = 0; i < n; i++) {
            float[][] coarse = toMatrix(cam.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
            maps[i] = normalise(upsample(coarse, h, w));
        }
        INDArray logits = tail.output(act, false);
        double[] scores = new double[(int) n];
        for (int i = 0; i < n; i++) {   // softmax of the two logits = P(pneumonia)
            scores[i] = 1 / (1 + Math.exp(logits.getDouble(i, 0) - logits.getDouble(i, 1)));
        }
        return new GradCamResult(layer, pixels, maps, scores);
    }

    private static float[][] toMatrix(INDArray m) {
        int rows = (int) m.size(0);
        int cols = (int) m.size(1);
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = m.getFloat(r, c);
            }
        }
        return out;
    }

    /** Bilinear resize with pixel centres aligned (as OpenCV's INTER_LINEAR). */
    static float[][] upsample(float[][] src, int h, int w) {
        int sh = src.length;
        int sw = src[0].length;
        float[][] out = new float[h][w];
        for (int y = 0; y < h; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sh / h - 0.5, 0), sh - 1);
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(y0 + 1, sh - 1);
            double dy = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sw / w - 0.5, 0), sw - 1);
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(x0 + 1, sw - 1);
                double dx = fx - x0;
                double top = src[y0][x0] * (1 - dx) + src[y0][x1] * dx;
                double bottom = src[y1][x0] * (1 - dx) + src[y1][x1] * dx;
                out[y][x] = (float) (top * (1 - dy) + bottom * dy);
            }
        }
        return out;
    }

    /** Scales a map to [0, 1]; an all-zero map (no positive evidence) stays zero. */
    private static float[][] normalise(float[][] m) {
        float max = 0;
        for (float[] row : m) {
            for (float v : row) {
                max = Math.max(max, v);
            }
        }
        if (max > 0) {
            for (float[] row : m) {
                for (int i = 0; i < row.length; i++) {
                    row[i] /= max;
                }
            }
        }
        return m;
    }
}
