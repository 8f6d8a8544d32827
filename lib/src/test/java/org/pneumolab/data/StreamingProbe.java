package org.pneumolab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Pointer;

import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * The child JVM of {@link StreamingUnderSmallHeapTest}: one augmented training epoch over every
 * PNG in a folder through {@link DetectionBatches} and the on-disk tensor cache, printing how much
 * the process's resident memory grew after the first quarter. With {@code hold} it also keeps
 * every batch, as an in-memory split would (the control, whose memory must grow).
 * Args: images-folder cache-folder stream|hold.
 */
public final class StreamingProbe {
    public static void main(String[] args) throws Exception {
        Path images = Path.of(args[0]);
        boolean hold = args[2].equals("hold");
        List<DetectionSample> samples = new ArrayList<>();
        try (Stream<Path> s = Files.list(images)) {
            for (Path f : s.sorted().toList()) {
                samples.add(new DetectionSample(f.getFileName().toString(), f, List.of(new Box(40, 40, 120, 140))));
            }
        }
        PipelineSpec spec = new PipelineSpec(128, 128, Interpolation.AREA, true, Normalization.IMAGENET, 1, Layout.NCHW);
        ImagePipeline pipeline = new ImagePipeline(spec, ImageDecoders.standard(), new TensorCache(Path.of(args[1]), ProblemLog.toStderr()));
        List<DetectionBatch> kept = new ArrayList<>();
        long images0 = 0;
        long peakPhysical = 0;
        long atQuarter = -1; // peak RSS once a quarter of the images went through (everything warmed up)
        try (DetectionBatches b = new DetectionBatches(samples, pipeline,
                BatchOptions.training(16, 1).withAugment(AugmentSpec.detection()), ProblemLog.toStderr())) {
            while (b.hasNext()) {
                DetectionBatch batch = b.next();
                images0 += batch.size();
                if (hold) {
                    kept.add(batch);
                }
                peakPhysical = Math.max(peakPhysical, Pointer.physicalBytes());
                if (atQuarter < 0 && images0 >= samples.size() / 4) {
                    atQuarter = peakPhysical;
                }
            }
        }
        long tensorBytes = images0 * 128 * 128 * 4;
        System.out.printf("streamed %d images (%d MiB of tensors) with max heap %d MiB (%s); peak RSS %d MiB after a quarter, %d MiB at the end%n",
                images0, tensorBytes >> 20, Runtime.getRuntime().maxMemory() >> 20, hold ? "holding every batch" : "streaming",
                atQuarter >> 20, peakPhysical >> 20);
        System.out.println("rss-growth-bytes=" + (peakPhysical - atQuarter) + " held=" + kept.size());
    }
}
