package org.pneumolab.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Detection;

/**
 * A detector seen from the sweep: the raw scored boxes for one image, in original-image pixels,
 * with a very low score threshold and no NMS, so that every post-processing setting can be tried
 * afterwards on the host. An {@link IOException} for one image (unreadable file) makes the cache
 * report and skip that image.
 */
@FunctionalInterface
public interface RawDetector {
    List<Detection> detectRaw(String imageId) throws IOException;

    /**
     * Adapts the detect package's RetinaNet / Faster R-CNN inference: each image is loaded by
     * {@code samples} and run through {@link Detector#detect} with {@link PostProcess#raw} (score
     * threshold 0.001, no NMS, at most {@code maxRaw} boxes).
     */
    static RawDetector of(Detector detector, SampleLoader samples, int maxRaw) {
        PostProcess raw = PostProcess.raw(maxRaw);
        return id -> {
            DetectionBatch one = samples.load(id);
            List<ImageDetections> out = detector.detect(one, raw);
            if (out.size() != 1 || !out.get(0).imageId().equals(id)) {
                throw new IllegalStateException("detector returned " + out.size() + " results for image " + id);
            }
            return new ArrayList<>(out.get(0).detections());
        };
    }

    /** Loads the model input of one image, with its resize geometry (the data package's pipeline). */
    @FunctionalInterface
    interface SampleLoader {
        DetectionBatch load(String imageId) throws IOException;
    }
}
