package org.pneumolab.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import org.pneumolab.geom.Box;

/**
 * A detector's batch: images (NCHW or NHWC per the pipeline), each image's ground-truth boxes in
 * the tensor's pixel coordinates (after resize, padding and augmentation), and the image ids.
 */
public record DetectionBatch(INDArray images, List<List<Box>> boxes, List<String> ids) {
    public DetectionBatch {
        boxes = boxes.stream().map(List::copyOf).toList();
        ids = List.copyOf(ids);
    }
}
