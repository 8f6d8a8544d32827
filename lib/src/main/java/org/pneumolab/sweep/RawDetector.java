package org.pneumolab.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.Layout;
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

    /**
     * Flip test-time augmentation: the same detector on each image mirrored left-right
     * ({@link DetectionBatch#mirrored}), its raw boxes mapped back through the mirrored resize
     * geometry and mirrored again, so they are in the original image's pixels like
     * {@link #of}'s and can be fused with them.
     *
     * @param layout the axis order of the loader's tensors (the pipeline's), to find the width axis
     */
    static RawDetector flipped(Detector detector, SampleLoader samples, Layout layout, int maxRaw) {
        PostProcess raw = PostProcess.raw(maxRaw);
        return id -> {
            DetectionBatch one = samples.load(id);
            int srcWidth = one.geometries().get(0).srcWidth();
            List<ImageDetections> out = detector.detect(one.mirrored(layout), raw);
            if (out.size() != 1 || !out.get(0).imageId().equals(id)) {
                throw new IllegalStateException("detector returned " + out.size() + " results for mirrored image " + id);
            }
            List<Detection> back = new ArrayList<>(out.get(0).detections().size());
            for (Detection d : out.get(0).detections()) {
                back.add(d.withBox(d.box().mirroredX(srcWidth)));
            }
            return back;
        };
    }

    /** Loads the model input of one image, with its resize geometry (the data package's pipeline). */
    @FunctionalInterface
    interface SampleLoader {
        DetectionBatch load(String imageId) throws IOException;
    }
}
