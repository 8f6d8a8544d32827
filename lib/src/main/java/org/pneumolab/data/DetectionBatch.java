package org.pneumolab.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;

/**
 * A detector's batch: images (NCHW or NHWC per the pipeline), each image's ground-truth boxes in
 * the tensor's pixel coordinates (after resize, padding and augmentation), the image ids, and
 * each image's resize geometry (scale and padding per axis), which takes a box predicted on the
 * tensor back to the original image's pixels.
 */
public record DetectionBatch(INDArray images, List<List<Box>> boxes, List<String> ids, List<ResizeGeometry> geometries) {
    public DetectionBatch {
        boxes = boxes.stream().map(List::copyOf).toList();
        ids = List.copyOf(ids);
        geometries = List.copyOf(geometries);
        if (boxes.size() != ids.size() || geometries.size() != ids.size() || images.size(0) != ids.size()) {
            throw new IllegalArgumentException("batch of " + images.size(0) + " images with " + ids.size() + " ids, "
                    + boxes.size() + " box lists and " + geometries.size() + " geometries");
        }
    }

    public int size() {
        return ids.size();
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) as a batch of their own. */
    public DetectionBatch slice(int from, int to) {
        if (from == 0 && to == size()) {
            return this;
        }
        INDArray part = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
        return new DetectionBatch(part, boxes.subList(from, to), ids.subList(from, to), geometries.subList(from, to));
    }

    /**
     * The batch mirrored left-right, for flip test-time augmentation: each image's pixels reversed
     * along the width axis of {@code layout}, its boxes mirrored in tensor pixels, and its geometry
     * replaced by {@link ResizeGeometry#mirrored()}, so {@link #toOriginal} gives boxes in the
     * mirrored original image (mirror them back with {@code Box.mirroredX(srcWidth)}). Done on the
     * host, one value at a time: exact, and a few milliseconds per image next to a forward pass.
     */
    public DetectionBatch mirrored(Layout layout) {
        long[] shape = images.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("a detection batch is 4-d, got shape " + java.util.Arrays.toString(shape));
        }
        int widthAxis = layout == Layout.NCHW ? 3 : 2;
        int width = (int) shape[widthAxis];
        // Elements after the width axis form one contiguous "pixel" (C values in NHWC, 1 in NCHW).
        int inner = layout == Layout.NCHW ? 1 : (int) shape[3];
        int rows = (int) (images.length() / ((long) width * inner));
        INDArray c = images.dup('c');
        float[] v = c.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width * inner;
            for (int x = 0; x < width; x++) {
                System.arraycopy(v, base + x * inner, out, base + (width - 1 - x) * inner, inner);
            }
        }
        INDArray flipped = org.nd4j.linalg.factory.Nd4j.create(out, shape, 'c').castTo(images.dataType());
        List<List<Box>> mirroredBoxes = new java.util.ArrayList<>();
        List<ResizeGeometry> mirroredGeometries = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            ResizeGeometry g = geometries.get(i);
            mirroredBoxes.add(boxes.get(i).stream().map(b -> b.mirroredX(g.dstWidth())).toList());
            mirroredGeometries.add(g.mirrored());
        }
        return new DetectionBatch(flipped, mirroredBoxes, ids, mirroredGeometries);
    }

    /** A box predicted on image {@code i}'s tensor, in that image's original pixels (clipped to it). */
    public Box toOriginal(int i, Box inTensor) {
        return geometries.get(i).toSource(inTensor);
    }
}
