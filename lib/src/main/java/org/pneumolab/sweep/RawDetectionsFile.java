package org.pneumolab.sweep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.io.AtomicFiles;

/**
 * The on-disk form of {@link RawDetections}: a magic line, the cache key, the split, then per
 * image its id, box count and {@code x1 y1 x2 y2 score} as doubles (exact round trip), then the
 * skipped images, and a CRC32 of everything before it. Written atomically; a file whose magic,
 * key, length or checksum does not match is rejected with a {@link CorruptCacheException}.
 */
final class RawDetectionsFile {
    static final String MAGIC = "pneumolab raw detections v1";

    private RawDetectionsFile() {
    }

    static void write(Path file, String key, RawDetections raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * raw.totalBoxes());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeUTF(key);
            out.writeUTF(raw.split());
            out.writeInt(raw.detections().size());
            for (Map.Entry<String, List<Detection>> e : raw.detections().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (Detection d : e.getValue()) {
                    out.writeDouble(d.box().x1());
                    out.writeDouble(d.box().y1());
                    out.writeDouble(d.box().x2());
                    out.writeDouble(d.box().y2());
                    out.writeDouble(d.score());
                }
            }
            out.writeInt(raw.skipped().size());
            for (String s : raw.skipped()) {
                out.writeUTF(s);
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        AtomicFiles.write(file, o -> {
            o.write(body);
            o.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
        });
    }

    static RawDetections read(Path file, String expectedKey) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw new CorruptCacheException(file, "only " + all.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new CorruptCacheException(file, "checksum mismatch (truncated or damaged)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
            String magic = in.readUTF();
            if (!magic.equals(MAGIC)) {
                throw new CorruptCacheException(file, "not a raw-detections file (header '" + magic + "')");
            }
            String key = in.readUTF();
            if (!key.equals(expectedKey)) {
                throw new CorruptCacheException(file, "written for " + key + ", expected " + expectedKey);
            }
            String split = in.readUTF();
            int images = count(in, file, "image count");
            Map<String, List<Detection>> dets = new LinkedHashMap<>();
            for (int i = 0; i < images; i++) {
                String id = in.readUTF();
                int n = count(in, file, "box count of " + id);
                List<Detection> list = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    double x1 = in.readDouble(), y1 = in.readDouble(), x2 = in.readDouble(), y2 = in.readDouble();
                    double score = in.readDouble();
                    list.add(new Detection(new Box(x1, y1, x2, y2), score));
                }
                dets.put(id, list);
            }
            int nSkipped = count(in, file, "skipped count");
            List<String> skipped = new ArrayList<>(nSkipped);
            for (int i = 0; i < nSkipped; i++) {
                skipped.add(in.readUTF());
            }
            if (in.available() != 0) {
                throw new CorruptCacheException(file, in.available() + " unexpected bytes after the data");
            }
            return new RawDetections(split, dets, skipped);
        } catch (EOFException | UTFDataFormatException e) {
            throw new CorruptCacheException(file, "ends early or has a damaged text field");
        } catch (IllegalArgumentException e) {
            throw new CorruptCacheException(file, "invalid box: " + e.getMessage());
        }
    }

    private static int count(DataInputStream in, Path file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 50_000_000) {
            throw new CorruptCacheException(file, what + " is " + n);
        }
        return n;
    }

    /** A cache file that cannot be used; the message starts with the file. */
    static final class CorruptCacheException extends IOException {
        CorruptCacheException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }
}
