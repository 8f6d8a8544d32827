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

    /** A box predicted on image {@code i}'s tensor, in that image's original pixels (clipped to it). */
    public Box toOriginal(int i, Box inTensor) {
        return geometries.get(i).toSource(inTensor);
    }
}
