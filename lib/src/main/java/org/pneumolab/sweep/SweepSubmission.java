package org.pneumolab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.pneumolab.data.DataConfig;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.metrics.Submission;

/** A Kaggle submission from cached raw test-image detections and the settings chosen on validation. */
public final class SweepSubmission {
    public static final String TEST_IMAGES = "stage_2_test_images";

    private SweepSubmission() {
    }

    /** Applies {@code chosen} to every image of {@code test} and writes the file atomically. */
    public static Submission write(Path file, RawDetections test, PostProcess chosen) throws IOException {
        Submission s = Submission.of(SplitScorer.apply(test, chosen));
        s.write(file);
        return s;
    }

    /**
     * Ids of the test images: the {@code .dcm} files of {@code stage_2_test_images} in the RSNA folder
     * in use, the real one when configured, else the generated sample's, sorted by name.
     */
    public static List<String> testImageIds(DataConfig config) throws IOException {
        Path dir = config.rsna().resolve(TEST_IMAGES);
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no test image folder (" + (config.rsnaIsReal()
                    ? "the configured RSNA folder lacks " + TEST_IMAGES
                    : "the generated sample is missing; generate it or configure PNEUMO_RSNA") + ")");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.toLowerCase(java.util.Locale.ROOT).endsWith(".dcm"))
                    .map(org.pneumolab.data.ImageIds::of).sorted().toList();
        }
    }
}
