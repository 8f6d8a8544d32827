package org.pneumolab.classify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.Notebook;
import org.pneumolab.notebook.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bottleneck features on disk, so a frozen base runs once over the data and every later head
 * epoch, run or notebook session reads the cache. Files are written atomically; the full key
 * is stored inside each file and checked, and an unreadable file is reported and recomputed.
 *
 * <p>{@link #getOrExtract} featurizes in chunks of whole batches: each finished chunk is a file of
 * its own beside a small progress record (both written atomically, in {@code <stem>.partial/}), so
 * a pass stopped by Kernel > Interrupt (or a crash) goes on from its last finished chunk when
 * asked again, and no more than a chunk is ever held in memory. The finished cache file is then
 * streamed together from the chunks, byte for byte the file a pass in one go writes.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final String MAGIC = "PNEUMOLAB-FEATURES-1";

    /** Computes features on a cache miss (typically {@link Featurizer#extract}). */
    @FunctionalInterface
    public interface Computation {
        FeatureSet compute() throws IOException;
    }

    private static final String CHUNK_MAGIC = "PNEUMOLAB-FEATURE-CHUNK-1";
    private static final String PROGRESS_MAGIC = "PNEUMOLAB-FEATURE-PROGRESS-1";
    /** Features held before a chunk is written: bounds the pass's memory and what an interrupt loses. */
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;

    /**
     * A split's images in a fixed order, served as batches of {@link #batchSize()} from any batch
     * boundary on, so a resumed pass reads only what is left and sees the same batches.
     */
    public interface Images {
        int size();

        int batchSize();

        /** Images {@code [from, to)} in order, as batches of {@link #batchSize()}; {@code from} is a multiple of it. */
        DataSetIterator range(int from, int to) throws IOException;
    }

    private final Path dir;
    private final long chunkBytes;

    public FeatureCache(Path dir) {
        this(dir, DEFAULT_CHUNK_BYTES);
    }

    /** @param chunkBytes features per chunk of a resumable pass (at least one batch per chunk) */
    public FeatureCache(Path dir, long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be >= 1, got " + chunkBytes);
        }
        this.dir = dir;
        this.chunkBytes = chunkBytes;
    }

    /** Where a pass for {@code key} keeps its finished chunks until the cache file is written. */
    public Path partialDirFor(FeatureKey key) {
        return dir.resolve(key.fileStem() + ".partial");
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

    /**
     * The cached features for {@code key}, or featurizes {@code images} with {@code featurizer}
     * chunk by chunk, resuming a pass that an interrupt (or a crash) stopped from its last finished
     * chunk (it says "resumed featurizing TASK at image I of N"), stores the cache file and returns
     * it as read back.
     */
    public FeatureSet getOrExtract(FeatureKey key, Featurizer featurizer, Images images, String task)
            throws IOException {
        Path file = fileFor(key);
        Path partial = partialDirFor(key);
        if (Files.isRegularFile(file)) {
            try {
                FeatureSet cached = read(file, key);
                deleteTree(partial);  // left by a pass that stopped between its last write and the tidy-up
                return cached;
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: unusable feature cache ({}); rebuilding it", file, e.getMessage());
            }
        }
        if (images.size() == 0) {
            throw new IllegalArgumentException(task + ": no images to featurize");
        }
        Layout layout = new Layout(images.size(), images.batchSize(), chunkImages(featurizer, images.batchSize()));
        Progress progress = Progress.read(partial, key, layout);
        extractChunks(key, featurizer, images, task, layout, partial, progress);
        try {
            assemble(file, key, partial);
        } catch (UnusableChunk e) {
            // a chunk that cannot be read back is never trusted: the pass is done again from the start
            LOG.warn("{}: unusable partial features ({}); featurizing again from the start", partial, e.getMessage());
            deleteTree(partial);
            extractChunks(key, featurizer, images, task, layout, partial, Progress.fresh(layout));
            assemble(file, key, partial);
        }
        deleteTree(partial);
        return read(file, key);
    }

    /** Images per chunk: whole batches, about {@link #chunkBytes} of features, at least one batch. */
    private int chunkImages(Featurizer featurizer, int batchSize) {
        long perImage = 4L * Arrays.stream(featurizer.activationShape()).reduce(1, (a, b) -> a * b);
        long batches = Math.max(1, chunkBytes / Math.max(1, perImage * batchSize));
        return (int) Math.min(Integer.MAX_VALUE / 2, batches * batchSize);
    }

    /** How a pass is cut into chunks; a record made with another layout is not resumed. */
    record Layout(int images, int batchSize, int chunkImages) {
        Layout {
            if (images < 0 || batchSize < 1 || chunkImages < batchSize || chunkImages % batchSize != 0) {
                throw new IllegalArgumentException("bad chunk layout " + images + "/" + batchSize + "/" + chunkImages);
            }
        }

        int chunks() {
            return (images + chunkImages - 1) / chunkImages;
        }
    }

    /** The chunks finished so far, their feature rows, and one example's shape (empty until a row exists). */
    record Progress(Layout layout, int chunksDone, long rows, long[] exampleShape) {
        static Progress fresh(Layout layout) {
            return new Progress(layout, 0, 0, new long[0]);
        }

        /** The record in {@code partial}, or a fresh start when there is none, or it is unusable or for another layout. */
        static Progress read(Path partial, FeatureKey key, Layout layout) {
            if (!Files.isRegularFile(partial.resolve("progress"))) {
                return fresh(layout);
            }
            try {
                Progress p = load(partial, key);
                if (!p.layout().equals(layout)) {
                    LOG.info("{}: partial features cut another way ({}, now {}); starting over", partial, p.layout(), layout);
                    deleteTree(partial);
                    return fresh(layout);
                }
                for (int c = 0; c < p.chunksDone(); c++) {
                    if (!Files.isRegularFile(chunkFile(partial, c))) {
                        throw new IOException("chunk " + c + " missing");
                    }
                }
                return p;
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: unusable progress record ({}); starting over", partial, e.getMessage());
                try {
                    deleteTree(partial);
                } catch (IOException ignored) {
                    // the fresh pass overwrites what is left
                }
                return fresh(layout);
            }
        }

        /** The record in {@code partial}; an IOException when it is missing, unreadable or of another key. */
        static Progress load(Path partial, FeatureKey key) throws IOException {
            Path file = partial.resolve("progress");
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                if (!PROGRESS_MAGIC.equals(in.readUTF()) || !key.text().equals(in.readUTF())) {
                    throw new IOException(file + ": not a progress record of this key");
                }
                Layout layout = new Layout(in.readInt(), in.readInt(), in.readInt());
                int done = in.readInt();
                long rows = in.readLong();
                long[] shape = new long[in.readInt()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = in.readLong();
                }
                return new Progress(layout, done, rows, shape);
            }
        }

        void write(Path partial, FeatureKey key) throws IOException {
            AtomicFiles.write(partial.resolve("progress"), out -> {
                DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out));
                d.writeUTF(PROGRESS_MAGIC);
                d.writeUTF(key.text());
                d.writeInt(layout.images());
                d.writeInt(layout.batchSize());
                d.writeInt(layout.chunkImages());
                d.writeInt(chunksDone);
                d.writeLong(rows);
                d.writeInt(exampleShape.length);
                for (long v : exampleShape) {
                    d.writeLong(v);
                }
                d.flush();
            });
        }
    }

    /** A chunk file that is damaged or belongs to another pass. */
    private static final class UnusableChunk extends IOException {
        UnusableChunk(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Path chunkFile(Path partial, int chunk) {
        return partial.resolve(String.format(java.util.Locale.ROOT, "chunk-%06d", chunk));
    }

    /**
     * Featurizes the chunks not yet done, each written (then the progress record) before the next
     * starts; an interrupt loses at most the chunk in progress.
     */
    private static void extractChunks(FeatureKey key, Featurizer featurizer, Images images, String task,
                                      Layout layout, Path partial, Progress progress) throws IOException {
        int first = Math.min(layout.images(), progress.chunksDone() * layout.chunkImages());
        if (progress.chunksDone() >= layout.chunks()) {
            return;
        }
        // The base is frozen for the whole pass: fold it once (the featurize pass's speed-up).
        InferenceGraph folded = featurizer.inferenceGraph();
        Progress p = progress;
        try (ProgressBar bar = ProgressBar.start(featurizer.title(task), layout.images())) {
            if (first > 0) {
                String said = "resumed featurizing " + task + " at image " + first + " of " + layout.images();
                Notebook.html("<p>" + Html.escape(said) + "</p>");
                bar.set(first);
                bar.message(said);
            }
            for (int c = p.chunksDone(); c < layout.chunks(); c++) {
                int from = c * layout.chunkImages();
                int to = Math.min(layout.images(), from + layout.chunkImages());
                List<INDArray> feats = new ArrayList<>();
                List<INDArray> labels = new ArrayList<>();
                DataSetIterator it = images.range(from, to);
                try {
                    while (it.hasNext()) {
                        DataSet batch = it.next();
                        feats.add(featurizer.activations(folded, batch.getFeatures()));
                        labels.add(Featurizer.toOneHot(batch.getLabels()));
                        bar.advance(batch.numExamples());
                    }
                } finally {
                    if (it instanceof AutoCloseable closeable) {
                        try {
                            closeable.close();
                        } catch (Exception e) {
                            LOG.warn("closing the image iterator of {}: {}", task, e.getMessage());
                        }
                    }
                }
                INDArray f = feats.isEmpty() ? null : Nd4j.concat(0, feats.toArray(INDArray[]::new));
                INDArray l = labels.isEmpty() ? null : Nd4j.concat(0, labels.toArray(INDArray[]::new));
                int chunk = c;
                AtomicFiles.write(chunkFile(partial, c), out -> {
                    DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out));
                    d.writeUTF(CHUNK_MAGIC);
                    d.writeUTF(key.text());
                    d.writeInt(chunk);
                    d.writeLong(f == null ? 0 : f.size(0));
                    if (f != null) {
                        Nd4j.write(l, d);
                        Nd4j.write(f, d);
                    }
                    d.flush();
                });
                long[] shape = f == null ? p.exampleShape() : Arrays.copyOfRange(f.shape(), 1, f.rank());
                p = new Progress(layout, c + 1, p.rows() + (f == null ? 0 : f.size(0)), shape);
                p.write(partial, key);
                bar.set(to);
            }
        }
    }

    /** One chunk's labels and (when asked) features, checked against the key and its number. */
    private static INDArray[] readChunk(Path partial, FeatureKey key, int chunk, boolean features) throws IOException {
        Path file = chunkFile(partial, chunk);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!CHUNK_MAGIC.equals(in.readUTF()) || !key.text().equals(in.readUTF()) || in.readInt() != chunk) {
                throw new IOException("not chunk " + chunk + " of this key");
            }
            long rows = in.readLong();
            if (rows == 0) {
                return new INDArray[0];
            }
            INDArray l = Nd4j.read(in);
            INDArray[] out = features ? new INDArray[]{l, Nd4j.read(in)} : new INDArray[]{l};
            if (l.size(0) != rows || (features && out[1].size(0) != rows)) {
                throw new IOException(rows + " rows announced, " + l.size(0) + " read");
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new UnusableChunk(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the cache file from the chunks, one chunk in memory at a time: the same bytes as
     * {@code Nd4j.write} of the whole features and labels (c order), which a pass in one go
     * writes and {@link #read} reads.
     */
    private static void assemble(Path file, FeatureKey key, Path partial) throws IOException {
        Progress p;
        try {
            p = Progress.load(partial, key);
        } catch (IOException | RuntimeException e) {
            throw new UnusableChunk(partial + ": no usable progress record (" + e.getMessage() + ")", e);
        }
        if (p.chunksDone() != p.layout().chunks()) {
            throw new UnusableChunk(partial + ": " + p.chunksDone() + " of " + p.layout().chunks() + " chunks done", null);
        }
        if (p.rows() == 0) {
            throw new IllegalArgumentException(key.text() + ": no images to featurize");
        }
        long[] featureShape = new long[p.exampleShape().length + 1];
        featureShape[0] = p.rows();
        System.arraycopy(p.exampleShape(), 0, featureShape, 1, p.exampleShape().length);
        int chunks = p.layout().chunks();
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 20));
            data.writeUTF(MAGIC);
            data.writeUTF(key.text());
            writeHeader(data, featureShape);
            long written = 0;
            for (int c = 0; c < chunks; c++) {
                INDArray[] a = readChunk(partial, key, c, true);
                if (a.length > 0) {
                    written += writeFloats(data, a[1], featureShape);
                }
            }
            long[] labelShape = {p.rows(), 2};
            writeHeader(data, labelShape);
            for (int c = 0; c < chunks; c++) {
                INDArray[] a = readChunk(partial, key, c, false);
                if (a.length > 0) {
                    writeFloats(data, a[0], labelShape);
                }
            }
            if (written != p.rows()) {
                throw new UnusableChunk(partial + ": chunks hold " + written + " rows, the progress record says " + p.rows(), null);
            }
            data.flush();
        });
    }

    /** {@code Nd4j.write}'s header of a c-order FLOAT array of this shape: its shape information, then its data buffer's. */
    private static void writeHeader(DataOutputStream out, long[] shape) throws IOException {
        Nd4j.getShapeInfoProvider().createShapeInformation(shape, 'c', DataType.FLOAT).getFirst().write(out);
        out.writeUTF(Nd4j.alloc.name());
        out.writeLong(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        out.writeUTF(DataType.FLOAT.name());
    }

    /** A chunk's values as Nd4j.write writes a FLOAT buffer (big-endian); returns its rows. */
    private static long writeFloats(DataOutputStream out, INDArray chunk, long[] whole) throws IOException {
        if (chunk.dataType() != DataType.FLOAT || chunk.rank() != whole.length
                || !Arrays.equals(Arrays.copyOfRange(chunk.shape(), 1, chunk.rank()), Arrays.copyOfRange(whole, 1, whole.length))) {
            throw new IOException("chunk of " + chunk.dataType() + " " + Arrays.toString(chunk.shape())
                    + " does not fit FLOAT " + Arrays.toString(whole));
        }
        INDArray c = chunk.isView() || chunk.ordering() != 'c' || chunk.data().length() != chunk.length() ? chunk.dup('c') : chunk;
        float[] values = c.data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(4 << 16).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < values.length; i += 1 << 16) {
            int n = Math.min(1 << 16, values.length - i);
            buf.clear();
            buf.asFloatBuffer().put(values, i, n);
            out.write(buf.array(), 0, 4 * n);
        }
        return chunk.size(0);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
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
