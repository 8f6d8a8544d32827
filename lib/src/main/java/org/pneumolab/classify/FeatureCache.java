package org.pneumolab.classify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.pneumolab.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bottleneck features on disk, so a frozen base runs once over the data and every later head
 * epoch, run or notebook session reads the cache. Files are written atomically; the full key
 * is stored inside each file and checked, and an unreadable file is reported and recomputed.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final String MAGIC = "PNEUMOLAB-FEATURES-1";

    /** Computes features on a cache miss (typically {@link Featurizer#extract}). */
    @FunctionalInterface
    public interface Computation {
        FeatureSet compute() throws IOException;
    }

    private final Path dir;

    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    public Path fileFor(FeatureKey key) {
        return dir.resolve(key.fileStem() + ".features");
    }

    /** The cached features for {@code key}, or computes, stores and returns them. */
    public FeatureSet getOrCompute(FeatureKey key, Computation computation) throws IOException {
        Path file = fileFor(key);
        if (Files.isRegularFile(file)) {
            try {
                return read(file, key);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: unusable feature cache ({}); rebuilding it", file, e.getMessage());
            }
        }
        FeatureSet computed = computation.compute();
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
            data.writeUTF(MAGIC);
            data.writeUTF(key.text());
            computed.write(data);
            data.flush();
        });
        return computed;
    }

    private static FeatureSet read(Path file, FeatureKey key) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            if (!MAGIC.equals(data.readUTF())) {
                throw new IOException(file + ": not a feature cache file");
            }
            String stored = data.readUTF();
            if (!stored.equals(key.text())) {
                throw new IOException(file + ": key mismatch (stored " + stored + ")");
            }
            return FeatureSet.read(data);
        }
    }
}
