package org.pneumolab.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the bytes of the first frame in encapsulated pixel data (PS3.5 A.4): the basic offset
 * table when it has one, else one fragment per frame when the counts agree, else (JPEG) the
 * fragments up to the next start-of-image marker.
 */
final class EncapsulatedFrames {
    private EncapsulatedFrames() {
    }

    static byte[] firstFrame(Path file, DicomElement pixelData, int numberOfFrames, boolean jpeg) throws DicomException {
        List<DicomElement.Fragment> all = pixelData.fragments();
        List<DicomElement.Fragment> data = all.subList(1, all.size());
        if (data.isEmpty()) {
            throw new DicomException(file, "encapsulated pixel data has no fragments after the basic offset table");
        }
        byte[] buf = pixelData.buffer();
        int count = data.size();
        if (numberOfFrames > 1) {
            checkFrameCount(file, pixelData.buffer(), all, numberOfFrames);
            DicomElement.Fragment table = all.get(0);
            if (table.length() >= 8) {
                // Offsets are measured from the first fragment's item tag, 8 bytes before its value.
                long secondFrame = u32le(buf, table.offset() + 4);
                int firstItem = data.get(0).offset() - 8;
                count = 0;
                while (count < data.size() && data.get(count).offset() - 8 - firstItem < secondFrame) {
                    count++;
                }
                count = Math.max(count, 1);
            } else if (numberOfFrames == data.size() || !jpeg) {
                count = 1;
            } else {
                count = 1;
                while (count < data.size() && !startsWithSoi(buf, data.get(count))) {
                    count++;
                }
            }
        }
        if (count == 1) {
            DicomElement.Fragment f = data.get(0);
            return java.util.Arrays.copyOfRange(buf, f.offset(), f.offset() + f.length());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            DicomElement.Fragment f = data.get(i);
            out.write(buf, f.offset(), f.length());
        }
        return out.toByteArray();
    }

    /**
     * A multi-frame file must hold as many frames as NumberOfFrames says: one offset per frame
     * in the basic offset table, each inside the data; without a table, at least one fragment
     * per frame (and for JPEG, one start-of-image per frame).
     */
    private static void checkFrameCount(Path file, byte[] buf, List<DicomElement.Fragment> all, int frames)
            throws DicomException {
        DicomElement.Fragment table = all.get(0);
        List<DicomElement.Fragment> data = all.subList(1, all.size());
        long dataBytes = 0;
        for (DicomElement.Fragment f : data) {
            dataBytes += 8 + f.length();
        }
        if (table.length() >= 4) {
            long entries = table.length() / 4;
            if (entries != frames) {
                throw new DicomException(file, "basic offset table lists " + entries + " frames but NumberOfFrames is " + frames);
            }
            long previous = -1;
            for (int i = 0; i < entries; i++) {
                long offset = u32le(buf, table.offset() + 4 * i);
                if (offset <= previous || offset >= dataBytes) {
                    throw new DicomException(file, "basic offset table entry " + i + " (" + offset
                            + ") is not inside the " + dataBytes + " bytes of fragments (pixel data cut short?)");
                }
                previous = offset;
            }
            return;
        }
        if (data.size() < frames) {
            throw new DicomException(file, "encapsulated pixel data has " + data.size() + " fragments but NumberOfFrames is "
                    + frames + " (pixel data cut short?)");
        }
    }

    private static boolean startsWithSoi(byte[] buf, DicomElement.Fragment f) {
        return f.length() >= 2 && (buf[f.offset()] & 0xFF) == 0xFF && (buf[f.offset() + 1] & 0xFF) == 0xD8;
    }

    private static long u32le(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
