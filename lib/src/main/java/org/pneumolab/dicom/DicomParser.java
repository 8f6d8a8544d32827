package org.pneumolab.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks the bytes of one data set (meta group or main data set) and builds {@link DicomDataset}s.
 * Every declared length is checked against the bytes that remain before it is used, nesting is
 * limited, and each loop consumes at least one element header, so a malformed file ends in a
 * {@link DicomException}: never a hang, never an allocation larger than the file.
 */
final class DicomParser {
    static final int MAX_DEPTH = 64;
    static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** VRs whose explicit-VR header has two reserved bytes and a 32-bit length. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final Set<String> KNOWN_VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
            "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI",
            "UL", "UN", "UR", "US", "UT", "UV");

    /** Thrown internally when a header-only read ran past the bytes read so far. */
    static final class NeedMoreBytes extends RuntimeException {
        NeedMoreBytes() {
            super(null, null, false, false);
        }
    }

    private final Path file;
    private final byte[] buf;
    /** Whether {@code buf} is only the start of the file (header-only reads). */
    private final boolean prefix;
    private final boolean stopAtPixelData;
    private int pos;
    private boolean explicitVr;
    private boolean bigEndian;
    private boolean reachedPixelData;
    private final int trailingZerosStart;

    DicomParser(Path file, byte[] buf, int start, boolean explicitVr, boolean bigEndian,
                boolean prefix, boolean stopAtPixelData) {
        this.file = file;
        this.buf = buf;
        this.pos = start;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.prefix = prefix;
        this.stopAtPixelData = stopAtPixelData;
        // A prefix may end inside a run of zeros that real data follows; only a whole file has a padding tail.
        this.trailingZerosStart = prefix ? buf.length : trailingZerosStart(buf);
    }

    int position() {
        return pos;
    }

    boolean reachedPixelData() {
        return reachedPixelData;
    }

    static boolean isKnownVr(byte a, byte b) {
        return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && KNOWN_VRS.contains("" + (char) a + (char) b);
    }

    /** Parses the file meta group: explicit VR little endian elements of group 0002. */
    DicomDataset parseMetaGroup() throws DicomException {
        DicomDataset meta = new DicomDataset(null);
        while (pos + 4 <= buf.length && (peekU16Le(pos) == 0x0002)) {
            DicomElement e = readElement(meta, buf.length, 0);
            meta.put(e);
        }
        return meta;
    }

    /** Parses the main data set from the current position to the end of the buffer. */
    DicomDataset parseDataset() throws DicomException {
        DicomDataset ds = new DicomDataset(null);
        parseInto(ds, buf.length, false, 0);
        return ds;
    }

    private void parseInto(DicomDataset ds, int end, boolean untilItemEnd, int depth) throws DicomException {
        if (depth > MAX_DEPTH) {
            throw new DicomException(file, "sequences nested deeper than " + MAX_DEPTH + " levels at offset " + pos);
        }
        while (pos < end) {
            if (depth == 0 && stopAtPixelData && pos + 4 <= end && peekTag() == PIXEL_DATA) {
                reachedPixelData = true;
                return;
            }
            // Trailing padding of zero bytes after the last element is common and harmless.
            if (depth == 0 && pos >= trailingZerosStart) {
                pos = end;
                return;
            }
            int tagPos = pos;
            int tag = readTag(end);
            if (tag == ITEM_END) {
                readU32(end);
                if (!untilItemEnd) {
                    throw new DicomException(file, "item delimiter outside an item of undefined length at offset " + tagPos);
                }
                return;
            }
            if (tag == SEQUENCE_END || tag == ITEM) {
                throw new DicomException(file, "unexpected " + DicomDictionary.format(tag) + " at offset " + tagPos);
            }
            pos = tagPos;
            ds.put(readElement(ds, end, depth));
        }
        if (untilItemEnd) {
            throw truncated("item of undefined length has no item delimiter");
        }
    }

    private DicomElement readElement(DicomDataset ds, int end, int depth) throws DicomException {
        int headerPos = pos;
        int tag = readTag(end);
        String vr;
        long length;
        if (explicitVr) {
            need(2, end);
            byte a = buf[pos];
            byte b = buf[pos + 1];
            if (!isKnownVr(a, b)) {
                throw new DicomException(file, "invalid VR bytes 0x" + hex(a) + hex(b) + " for element "
                        + DicomDictionary.format(tag) + " at offset " + headerPos);
            }
            vr = "" + (char) a + (char) b;
            pos += 2;
            if (LONG_VRS.contains(vr)) {
                need(2, end);
                pos += 2;
                length = readU32(end);
            } else {
                length = readU16(end);
            }
        } else {
            vr = DicomDictionary.vr(tag);
            length = readU32(end);
        }
        if (vr.equals("UN") && !DicomDictionary.vr(tag).equals("UN") && length != UNDEFINED) {
            vr = DicomDictionary.vr(tag); // explicit "UN" for an attribute we know: decode as the dictionary says
        }
        if (tag == PIXEL_DATA && depth == 0 && length == UNDEFINED) {
            return readFragments(tag, vr, end);
        }
        if (length == UNDEFINED) {
            if (vr.equals("UN")) {
                // An undefined-length UN is a sequence encoded in implicit VR little endian (PS3.5 6.2.2).
                boolean oldExplicit = explicitVr;
                boolean oldBig = bigEndian;
                explicitVr = false;
                bigEndian = false;
                try {
                    return readSequence(ds, tag, end, -1, depth);
                } finally {
                    explicitVr = oldExplicit;
                    bigEndian = oldBig;
                }
            }
            if (vr.equals("SQ") || !explicitVr) {
                return readSequence(ds, tag, end, -1, depth);
            }
            throw new DicomException(file, "element " + DicomDictionary.format(tag) + " (" + vr
                    + ") has undefined length at offset " + headerPos);
        }
        int len = checkLength(length, end, tag, headerPos);
        if (vr.equals("SQ")) {
            return readSequence(ds, tag, end, len, depth);
        }
        DicomElement e = new DicomElement(tag, vr, buf, pos, len, bigEndian, List.of(), List.of());
        pos += len;
        return e;
    }

    /** Items of a sequence; {@code length} -1 means undefined (ends with a sequence delimiter). */
    private DicomElement readSequence(DicomDataset parent, int tag, int end, int length, int depth) throws DicomException {
        if (depth + 1 > MAX_DEPTH) {
            throw new DicomException(file, "sequences nested deeper than " + MAX_DEPTH + " levels at offset " + pos);
        }
        int seqEnd = length < 0 ? end : pos + length;
        List<DicomDataset> items = new ArrayList<>();
        while (true) {
            if (length >= 0 && pos >= seqEnd) {
                break;
            }
            int itemPos = pos;
            int itemTag = readTag(seqEnd);
            long itemLength = readU32(seqEnd);
            if (itemTag == SEQUENCE_END) {
                if (length >= 0) {
                    throw new DicomException(file, "sequence delimiter in a sequence of defined length at offset " + itemPos);
                }
                break;
            }
            if (itemTag != ITEM) {
                throw new DicomException(file, "expected an item in sequence " + DicomDictionary.format(tag)
                        + " but found " + DicomDictionary.format(itemTag) + " at offset " + itemPos);
            }
            DicomDataset item = new DicomDataset(parent);
            if (itemLength == UNDEFINED) {
                parseInto(item, seqEnd, true, depth + 1);
            } else {
                int len = checkLength(itemLength, seqEnd, itemTag, itemPos);
                parseInto(item, pos + len, false, depth + 1);
            }
            items.add(item);
        }
        return new DicomElement(tag, "SQ", buf, pos, 0, bigEndian, List.copyOf(items), List.of());
    }

    /** Encapsulated pixel data: items (basic offset table, then fragments) up to the sequence delimiter. */
    private DicomElement readFragments(int tag, String vr, int end) throws DicomException {
        List<DicomElement.Fragment> fragments = new ArrayList<>();
        while (true) {
            int itemPos = pos;
            int itemTag = readTag(end);
            long itemLength = readU32(end);
            if (itemTag == SEQUENCE_END) {
                break;
            }
            if (itemTag != ITEM) {
                throw new DicomException(file, "expected a pixel data fragment but found "
                        + DicomDictionary.format(itemTag) + " at offset " + itemPos);
            }
            if (itemLength == UNDEFINED) {
                throw new DicomException(file, "pixel data fragment of undefined length at offset " + itemPos);
            }
            int len = checkLength(itemLength, end, itemTag, itemPos);
            fragments.add(new DicomElement.Fragment(pos, len));
            pos += len;
        }
        if (fragments.isEmpty()) {
            throw new DicomException(file, "encapsulated pixel data without a basic offset table item");
        }
        return new DicomElement(tag, vr, buf, fragments.get(0).offset(), 0, bigEndian, List.of(), List.copyOf(fragments));
    }

    private int checkLength(long length, int end, int tag, int headerPos) throws DicomException {
        if (length > end - pos) {
            if (prefix) {
                throw new NeedMoreBytes();
            }
            throw new DicomException(file, "element " + DicomDictionary.format(tag) + " at offset " + headerPos
                    + " declares " + length + " bytes but only " + (end - pos) + " remain");
        }
        return (int) length;
    }

    private void need(int n, int end) throws DicomException {
        if (pos + n > end) {
            if (prefix) {
                throw new NeedMoreBytes();
            }
            throw truncated("needs " + n + " more bytes at offset " + pos + " but the " + (end == buf.length ? "file" : "enclosing item") + " ends at " + end);
        }
    }

    private DicomException truncated(String what) {
        if (prefix) {
            throw new NeedMoreBytes();
        }
        return new DicomException(file, "truncated: " + what);
    }

    private int peekTag() {
        int g = bigEndian ? peekU16Be(pos) : peekU16Le(pos);
        int el = bigEndian ? peekU16Be(pos + 2) : peekU16Le(pos + 2);
        return (g << 16) | el;
    }

    private int readTag(int end) throws DicomException {
        need(4, end);
        int tag = peekTag();
        pos += 4;
        return tag;
    }

    private int readU16(int end) throws DicomException {
        need(2, end);
        int v = bigEndian ? peekU16Be(pos) : peekU16Le(pos);
        pos += 2;
        return v;
    }

    private long readU32(int end) throws DicomException {
        need(4, end);
        long v;
        if (bigEndian) {
            v = ((long) peekU16Be(pos) << 16) | peekU16Be(pos + 2);
        } else {
            v = ((long) peekU16Le(pos + 2) << 16) | peekU16Le(pos);
        }
        pos += 4;
        return v;
    }

    private int peekU16Le(int p) {
        return (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8;
    }

    private int peekU16Be(int p) {
        return (buf[p] & 0xFF) << 8 | (buf[p + 1] & 0xFF);
    }

    /** Where the run of zero bytes at the end of the buffer starts (the buffer's length if none). */
    private static int trailingZerosStart(byte[] buf) {
        int i = buf.length;
        while (i > 0 && buf[i - 1] == 0) {
            i--;
        }
        return i;
    }

    private static String hex(byte b) {
        return String.format("%02X", b & 0xFF);
    }
}
