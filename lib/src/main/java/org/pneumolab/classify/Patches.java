package org.pneumolab.classify;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Convolution input patches (im2col) for a weight gradient, built on the JVM. */
final class Patches {
    private Patches() {
    }

    /** Whether the input and a patch matrix of {@code patchElements} can be indexed with ints. */
    static boolean fitsIntIndex(INDArray input, long patchElements) {
        return input.length() <= Integer.MAX_VALUE && patchElements <= Integer.MAX_VALUE;
    }

    /**
     * The patches of a float NCHW input as {@code [inDepth * kH * kW, batch * outH * outW]}: row
     * {@code (c, i, j)} holds, for every output position {@code (b, y, x)} in that order, the input
     * at {@code (b, c, y * stride + i * dilation - padTop, x * stride + j * dilation - padLeft)},
     * zero outside the image (so SAME mode's extra bottom/right padding needs no special case).
     * Rows are independent, so they are filled in parallel, each written in one piece.
     */
    static INDArray transposed(INDArray input, int kH, int kW, int[] stride, int[] dilation, int[] padTopLeft,
                               int outH, int outW) {
        if (input.dataType() != DataType.FLOAT || input.rank() != 4) {
            throw new IllegalArgumentException("float NCHW input expected, got " + input.dataType() + " "
                    + java.util.Arrays.toString(input.shape()));
        }
        if (!fitsIntIndex(input, input.size(1) * kH * kW * input.size(0) * outH * outW)) {
            throw new IllegalArgumentException("too large for int indexing: " + java.util.Arrays.toString(input.shape()));
        }
        INDArray in = input.isView() || input.ordering() != 'c' || input.offset() != 0 ? input.dup('c') : input;
        int batch = (int) in.size(0);
        int depth = (int) in.size(1);
        int h = (int) in.size(2);
        int w = (int) in.size(3);
        int n = batch * outH * outW;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, (long) depth * kH * kW, n);
        FloatBuffer src = in.data().asNioFloat();
        FloatBuffer dst = out.data().asNioFloat();
        IntStream.range(0, depth).parallel().forEach(c -> {
            float[] row = new float[n];
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int p = 0;
                    for (int b = 0; b < batch; b++) {
                        int plane = (b * depth + c) * h * w;
                        for (int y = 0; y < outH; y++) {
                            int iy = y * stride[0] + i * dilation[0] - padTopLeft[0];
                            boolean rowInside = iy >= 0 && iy < h;
                            for (int x = 0; x < outW; x++) {
                                int ix = x * stride[1] + j * dilation[1] - padTopLeft[1];
                                row[p++] = rowInside && ix >= 0 && ix < w ? src.get(plane + iy * w + ix) : 0f;
                            }
                        }
                    }
                    dst.put(((c * kH + i) * kW + j) * n, row);
                }
            }
        });
        return out;
    }
}
