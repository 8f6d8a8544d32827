package org.pneumolab.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.GrayImage;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.io.Digests;

/**
 * Decoded, resized images on disk, so that no epoch after the first decodes a JPEG or DICOM
 * again. An entry's key is the source (absolute path, size, modification time) plus the resize
 * spec, so an edited file or a new size makes a new entry. Entries are written atomically and
 * end with a CRC32; an entry that fails any check (truncated, flipped bits, another key) is
 * reported, deleted and rebuilt from the source ("rebuilt:", not "skipped:": nothing is left out).
 * An entry's file is named by the source and the spec, not the source's version, so when the
 * source changes its new entry replaces the old one instead of leaving it behind.
 *
 * <p>Format: magic "PNTC", version, key (UTF), geometry, width, height, width*height bytes
 * (pixels are integer 0..255 by then), CRC32 of all of the above.
 */
public final class TensorCache {
    private static final int MAGIC = 0x504E5443;
    private static final int VERSION = 1;

    /** Computes an entry when it is not cached. */
    @FunctionalInterface
    public interface Builder {
        PreparedImage build() throws IOException;
    }

    private final Path dir;
    private final ProblemLog log;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong rebuilt = new AtomicLong();

    public TensorCache(Path dir, ProblemLog log) {
        this.dir = dir;
        this.log = log;
    }

    /** The cache under {@link DataConfig#tensorCache()}. */
    public static TensorCache in(DataConfig config, ProblemLog log) {
        return new TensorCache(config.tensorCache(), log);
    }

    /**
     * Separates the part of a key that names an entry's slot (source file and resize spec) from
     * the source's version (size and modification time): a newer version of a source replaces
     * the older one's entry in the same file, so replaced entries never pile up.
     */
    static final String VERSION_MARK = "#version=";

    /** The key for a source file under a resize spec; changes when the file does. */
    public static String keyFor(Path source, String resizeKey) throws IOException {
        BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class);
        return source.toAbsolutePath().normalize() + "|" + resizeKey + VERSION_MARK + a.size() + "|"
                + a.lastModifiedTime().toMillis();
    }

    /** The part of a key that names its slot: everything before the version mark. */
    private static String slot(String key) {
        int v = key.lastIndexOf(VERSION_MARK);
        return v < 0 ? key : key.substring(0, v);
    }

    public PreparedImage getOrBuild(String key, Builder builder) throws IOException {
        Path file = fileFor(key);
        PreparedImage cached = read(file, key);
        if (cached != null) {
            hits.incrementAndGet();
            return cached;
        }
        misses.incrementAndGet();
        PreparedImage built = builder.build();
        PreparedImage stored = new PreparedImage(built.image().quantized(), built.geometry());
        AtomicFiles.writeBytes(file, encode(key, stored));
        return stored;
    }

    /** The entry's file: sha-256 of the key's slot (source and spec, not its version), fanned out over 256 folders. */
    public Path fileFor(String key) {
        String h = Digests.sha256Hex(slot(key));
        return dir.resolve(h.substring(0, 2)).resolve(h + ".pnt");
    }

    public Path dir() {
        return dir;
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** Entries found corrupt, reported and rebuilt. */
    public long rebuilt() {
        return rebuilt.get();
    }

    private PreparedImage read(Path file, String key) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return corrupt(file, "cannot read: " + e.getMessage());
        }
        try {
            return decode(bytes, key);
        } catch (StaleEntry e) {
            // An older version of the same source: it is overwritten by this build.
            log.rebuilt(file, "cache entry for an older version of " + slot(key).replaceFirst("\\|[^|]*$", "")
                    + " replaced");
            rebuilt.incrementAndGet();
            return null;
        } catch (IOException | RuntimeException e) {
            return corrupt(file, e.getMessage());
        }
    }

    private PreparedImage corrupt(Path file, String problem) {
        log.rebuilt(file, "corrupt cache entry (" + problem + ")");
        rebuilt.incrementAndGet();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.report(file, "cannot delete corrupt cache entry: " + e.getMessage());
        }
        return null;
    }

    /** An intact entry written for an older version of the same source. */
    private static final class StaleEntry extends IOException {
        StaleEntry() {
            super("older version of the source", null);
        }
    }

    static byte[] encode(String key, PreparedImage p) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(key);
        ResizeGeometry g = p.geometry();
        out.writeInt(g.srcWidth());
        out.writeInt(g.srcHeight());
        out.writeInt(g.dstWidth());
        out.writeInt(g.dstHeight());
        out.writeDouble(g.scaleX());
        out.writeDouble(g.scaleY());
        out.writeInt(g.padLeft());
        out.writeInt(g.padTop());
        GrayImage img = p.image();
        out.writeInt(img.width());
        out.writeInt(img.height());
        float[] px = img.pixels();
        byte[] b = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(255, Math.round(px[i])));
        }
        out.write(b);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(buf.toByteArray());
        out.writeLong(crc.getValue());
        return buf.toByteArray();
    }

    static PreparedImage decode(byte[] bytes, String key) throws IOException {
        if (bytes.length < 16) {
            throw new IOException("truncated: " + bytes.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a tensor cache entry (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("version " + version + ", expected " + VERSION);
        }
        String storedKey = in.readUTF();
        if (!storedKey.equals(key)) {
            if (slot(storedKey).equals(slot(key))) {
                throw new StaleEntry();
            }
            throw new IOException("holds another key: " + storedKey);
        }
        ResizeGeometry g = new ResizeGeometry(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readDouble(), in.readDouble(), in.readInt(), in.readInt());
        int w = in.readInt();
        int h = in.readInt();
        if (w <= 0 || h <= 0 || (long) w * h + 8 != in.available()) {
            throw new IOException("size " + w + " x " + h + " does not match the " + bytes.length + " bytes stored");
        }
        byte[] b = new byte[w * h];
        in.readFully(b);
        long stored = in.readLong();
        if (stored != crc.getValue()) {
            throw new IOException("checksum mismatch");
        }
        float[] px = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            px[i] = b[i] & 0xFF;
        }
        return new PreparedImage(new GrayImage(w, h, px), g);
    }
}
