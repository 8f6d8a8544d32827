package org.pneumolab.dicom;

import java.util.Arrays;
import java.util.List;

/**
 * One data element. Its value is a view into the file's bytes (nothing is copied while
 * parsing); sequences carry their items, encapsulated pixel data its fragments.
 *
 * @param tag       group << 16 | element
 * @param vr        the VR from the file (explicit VR) or the dictionary (implicit VR); "UN" if unknown
 * @param buffer    the bytes the value lives in
 * @param offset    where the value starts in {@code buffer}
 * @param length    the value's length in bytes (for sequences and fragments: 0, see items/fragments)
 * @param bigEndian byte order of binary values
 * @param items     the items of a sequence (empty otherwise)
 * @param fragments the fragments of encapsulated pixel data, the basic offset table first (empty otherwise)
 */
public record DicomElement(int tag, String vr, byte[] buffer, int offset, int length, boolean bigEndian,
                           List<DicomDataset> items, List<Fragment> fragments) {

    /** One item of encapsulated pixel data: a view of {@code length} bytes at {@code offset}. */
    public record Fragment(int offset, int length) {
    }

    public boolean isSequence() {
        return vr.equals("SQ");
    }

    public boolean isEncapsulated() {
        return !fragments.isEmpty();
    }

    /** A copy of the value's bytes. */
    public byte[] bytes() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    int u16(int index) {
        int p = offset + 2 * index;
        int a = buffer[p] & 0xFF;
        int b = buffer[p + 1] & 0xFF;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    long u32(int index) {
        int p = offset + 4 * index;
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = buffer[p + (bigEndian ? i : 3 - i)] & 0xFF;
            v = (v << 8) | b;
        }
        return v;
    }

    long u64(int index) {
        long hi = u32(2 * index);
        long lo = u32(2 * index + 1);
        return bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
    }

    @Override
    public String toString() {
        return DicomDictionary.format(tag) + " " + vr + " #" + length;
    }
}
