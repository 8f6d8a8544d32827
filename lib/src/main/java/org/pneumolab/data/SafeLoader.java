package org.pneumolab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;

/**
 * Loads samples for the iterators so that a bad image among thousands is reported once (file
 * and problem) and skipped in every epoch, while the run continues.
 */
final class SafeLoader {
    private final ImagePipeline pipeline;
    private final ProblemLog log;
    private final Set<Path> bad = ConcurrentHashMap.newKeySet();

    SafeLoader(ImagePipeline pipeline, ProblemLog log) {
        this.pipeline = pipeline;
        this.log = log;
    }

    Optional<LoadedImage> load(Path file, List<Box> boxes, AugmentSpec augment, long sampleSeed) {
        if (bad.contains(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(pipeline.load(file, boxes, augment, new Random(sampleSeed)));
        } catch (IOException | RuntimeException e) {
            if (bad.add(file)) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                // Decoder messages already start with the file name; do not repeat it.
                log.report(file, msg.startsWith(file.toString()) ? msg.substring(file.toString().length()).replaceFirst("^:\\s*", "") : msg);
            }
            return Optional.empty();
        }
    }

    Set<Path> badFiles() {
        return Set.copyOf(bad);
    }
}
