package org.pneumolab.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads DICOM Part 10 files (with or without the preamble and meta group) in explicit or
 * implicit VR little endian, explicit VR big endian and deflated explicit VR little endian.
 */
public final class DicomReader {
    /** Header-only reads start with this many bytes and double until the header fits. */
    private static final int HEADER_CHUNK = 64 * 1024;
    /** A deflated data set may inflate to at most this many times its size (zip bombs). */
    private static final long MAX_INFLATE_RATIO = 200;
    private static final long MAX_INFLATED_BYTES = 1L << 30;

    private DicomReader() {
    }

    /** Reads the whole file, pixel data included. */
    public static DicomFile read(Path path) throws IOException {
        return parse(path, readAll(path), false, false);
    }

    /**
     * Reads attributes only, stopping at the pixel data, and reads no more of the file than the
     * header needs (fast scans of large folders).
     */
    public static DicomFile readHeader(Path path) throws IOException {
        long size = size(path);
        int chunk = (int) Math.min(size, HEADER_CHUNK);
        while (true) {
            boolean whole = chunk >= size;
            byte[] bytes = whole ? readAll(path) : readPrefix(path, chunk);
            try {
                return parse(path, bytes, !whole, true);
            } catch (DicomParser.NeedMoreBytes e) {
                if (whole) {
                    throw new DicomException(path, "truncated header"); // cannot happen: whole files never ask for more
                }
                chunk = (int) Math.min(size, 2L * chunk);
            }
        }
    }

    /** Parses bytes already in memory; {@code path} names them in messages. */
    public static DicomFile parse(Path path, byte[] bytes) throws DicomException {
        return parse(path, bytes, false, false);
    }

    private static DicomFile parse(Path path, byte[] bytes, boolean prefix, boolean headerOnly) throws DicomException {
        if (bytes.length == 0) {
            throw new DicomException(path, "empty file");
        }
        int start = 0;
        boolean marker = false;
        if (bytes.length >= 132 && isDicm(bytes, 128)) {
            start = 132;
            marker = true;
        } else if (bytes.length >= 4 && isDicm(bytes, 0)) {
            start = 4;
            marker = true;
        }
        DicomParser metaParser = new DicomParser(path, bytes, start, true, false, prefix, false);
        DicomDataset meta = start + 6 <= bytes.length && DicomParser.isKnownVr(bytes[start + 4], bytes[start + 5])
                ? metaParser.parseMetaGroup() : new DicomDataset(null);
        int pos = metaParser.position();
        if (pos == start) {
            meta = new DicomDataset(null);
        }
        TransferSyntax ts;
        String uid = meta.string("TransferSyntaxUID").orElse(null);
        if (uid != null) {
            ts = TransferSyntax.of(uid);
        } else {
            ts = guess(bytes, pos);
            if (ts == null && marker && bytes.length - pos >= 8) {
                // The DICM marker vouches for the file: take the encoding the first element suggests.
                ts = DicomParser.isKnownVr(bytes[pos + 4], bytes[pos + 5]) ? TransferSyntax.EXPLICIT_LE : TransferSyntax.IMPLICIT_LE;
            } else if (ts == null && marker && pos == bytes.length) {
                ts = TransferSyntax.EXPLICIT_LE; // a meta group and nothing else
            }
            if (ts == null) {
                if (prefix && bytes.length - pos < 8) {
                    throw new DicomParser.NeedMoreBytes();
                }
                throw new DicomException(path, marker
                        ? "no transfer syntax in the meta group and the data set is not recognizable"
                        : "not a DICOM file (no DICM marker and no recognizable data set)");
            }
        }
        byte[] data = bytes;
        if (ts.deflated()) {
            data = inflate(path, bytes, pos, prefix);
            pos = 0;
        }
        DicomParser parser = new DicomParser(path, data, pos, explicitVr(ts, data, pos), ts.bigEndian(), prefix, headerOnly);
        DicomDataset ds = parser.parseDataset();
        if (!marker && meta.elements().isEmpty() && ds.elements().isEmpty()) {
            throw new DicomException(path, "not a DICOM file (no DICM marker and no elements)");
        }
        return new DicomFile(path, ts, meta, ds, headerOnly);
    }

    /**
     * The encoding of a data set without a (usable) meta group, from its first element: a valid
     * VR after the tag means explicit VR; the group number read both ways tells the byte order.
     * Null when the bytes do not look like a data set.
     */
    private static TransferSyntax guess(byte[] b, int pos) {
        if (b.length - pos < 8) {
            return null;
        }
        int groupLe = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
        int groupBe = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
        boolean vr = DicomParser.isKnownVr(b[pos + 4], b[pos + 5]);
        if (vr && plausibleFirstGroup(groupLe)) {
            return TransferSyntax.EXPLICIT_LE;
        }
        if (vr && plausibleFirstGroup(groupBe)) {
            return TransferSyntax.EXPLICIT_BE;
        }
        return plausibleFirstGroup(groupLe) ? TransferSyntax.IMPLICIT_LE : null;
    }

    /**
     * Whether the data set really is explicit VR. Some writers declare one encoding in the meta
     * group and use the other (pydicom's corpus has such files); like pydicom we believe the
     * first element over the declaration.
     */
    private static boolean explicitVr(TransferSyntax ts, byte[] data, int pos) {
        if (ts.bigEndian() || data.length - pos < 8) {
            return ts.explicitVr();
        }
        boolean looksExplicit = DicomParser.isKnownVr(data[pos + 4], data[pos + 5]);
        TransferSyntax guessed = guess(data, pos);
        if (ts.explicitVr() && !looksExplicit && guessed == TransferSyntax.IMPLICIT_LE) {
            return false;
        }
        if (!ts.explicitVr() && looksExplicit && guessed == TransferSyntax.EXPLICIT_LE) {
            return true;
        }
        return ts.explicitVr();
    }

    /** Data sets start with group 0002..0028 (identification, patient, acquisition, image). */
    private static boolean plausibleFirstGroup(int group) {
        return group >= 0x0002 && group <= 0x0028 && group % 2 == 0;
    }

    private static boolean isDicm(byte[] b, int at) {
        return b[at] == 'D' && b[at + 1] == 'I' && b[at + 2] == 'C' && b[at + 3] == 'M';
    }

    private static byte[] inflate(Path path, byte[] bytes, int pos, boolean prefix) throws DicomException {
        long cap = Math.min(MAX_INFLATED_BYTES, Math.max(1 << 20, (bytes.length - pos) * MAX_INFLATE_RATIO));
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes, pos, bytes.length - pos);
            byte[] out = new byte[(int) Math.min(cap, Math.max(1024, 4L * (bytes.length - pos)))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= cap) {
                        throw new DicomException(path, "deflated data set inflates beyond " + cap + " bytes");
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min(cap, 2L * out.length));
                }
                int got = inflater.inflate(out, n, out.length - n);
                n += got;
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    if (prefix) {
                        throw new DicomParser.NeedMoreBytes();
                    }
                    throw new DicomException(path, "truncated deflated data set");
                }
            }
            return java.util.Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new DicomException(path, "corrupt deflated data set: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static long size(Path path) throws IOException {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            throw new DicomException(path, "no such file", e);
        }
    }

    private static byte[] readAll(Path path) throws IOException {
        if (size(path) > Integer.MAX_VALUE - 16) {
            throw new DicomException(path, "file larger than 2 GiB");
        }
        try {
            return Files.readAllBytes(path);
        } catch (OutOfMemoryError e) {
            throw new DicomException(path, "out of memory reading a file of " + size(path) + " bytes (heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)");
        }
    }

    private static byte[] readPrefix(Path path, int n) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        }
    }
}
