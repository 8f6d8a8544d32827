package org.pneumolab.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Builds small explicit VR little endian Part 10 files byte by byte, for tests. */
final class DicomBytes {
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OF", "OD", "OL");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Preamble, "DICM" and a meta group naming {@code tsUid}. */
    static DicomBytes part10(String tsUid) {
        DicomBytes b = new DicomBytes();
        b.out.writeBytes(new byte[128]);
        b.out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        b.text(0x00020010, "UI", tsUid);
        return b;
    }

    DicomBytes text(int tag, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        if (v.length % 2 != 0) {
            byte[] padded = new byte[v.length + 1];
            System.arraycopy(v, 0, padded, 0, v.length);
            padded[v.length] = (byte) (vr.equals("UI") ? 0 : ' ');
            v = padded;
        }
        return element(tag, vr, v);
    }

    DicomBytes us(int tag, int value) {
        return element(tag, "US", new byte[] {(byte) value, (byte) (value >> 8)});
    }

    DicomBytes element(int tag, String vr, byte[] value) {
        header(tag, vr, value.length);
        out.writeBytes(value);
        return this;
    }

    /** A tag, VR and length with no value after it (for sequences, lies and undefined lengths). */
    DicomBytes header(int tag, String vr, long length) {
        tag(tag);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (LONG_VRS.contains(vr)) {
            out.write(0);
            out.write(0);
            u32(length);
        } else {
            out.write((int) length);
            out.write((int) (length >> 8));
        }
        return this;
    }

    /** An item or delimiter: tag and 32-bit length. */
    DicomBytes item(int tag, long length) {
        tag(tag);
        u32(length);
        return this;
    }

    DicomBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Image Pixel attributes for a grayscale image. */
    DicomBytes grayImage(int rows, int columns, int bits) {
        text(0x00280004, "CS", "MONOCHROME2");
        us(0x00280002, 1);
        us(0x00280010, rows);
        us(0x00280011, columns);
        us(0x00280100, bits);
        us(0x00280101, bits);
        us(0x00280102, bits - 1);
        return us(0x00280103, 0);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void tag(int tag) {
        out.write(tag >>> 16 & 0xFF);
        out.write(tag >>> 24 & 0xFF);
        out.write(tag & 0xFF);
        out.write(tag >>> 8 & 0xFF);
    }

    private void u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >> (8 * i)) & 0xFF);
        }
    }
}
