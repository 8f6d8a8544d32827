package org.pneumolab.dicom;

import java.nio.file.Path;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane, most significant byte first, sample after sample.
 */
final class RleDecoder {
    private RleDecoder() {
    }

    /** Stored values of one frame, interleaved. */
    static double[] decode(Path file, byte[] frame, PixelInfo info) throws DicomException {
        if (info.bitsAllocated() % 8 != 0) {
            throw new DicomException(file, "RLE with BitsAllocated " + info.bitsAllocated() + " is not supported");
        }
        int bytesPerSample = info.bitsAllocated() / 8;
        int samples = info.samplesPerPixel();
        int expectedSegments = bytesPerSample * samples;
        if (frame.length < 64) {
            throw new DicomException(file, "RLE frame of " + frame.length + " bytes has no 64-byte header");
        }
        long segments = u32le(frame, 0);
        if (segments != expectedSegments) {
            throw new DicomException(file, "RLE header declares " + segments + " segments but "
                    + samples + " samples of " + info.bitsAllocated() + " bits need " + expectedSegments);
        }
        // A PackBits run of 2 bytes yields at most 128: a segment cannot decode to more than 64x its
        // size. Checking this first keeps a lying Rows/Columns from allocating a huge frame.
        if (info.pixelsPerFrame() > 64L * frame.length) {
            throw new DicomException(file, "RLE frame of " + frame.length + " bytes cannot hold "
                    + info.rows() + " x " + info.columns() + " pixels");
        }
        int pixels = (int) info.pixelsPerFrame();
        long[] raw = new long[pixels * samples];
        byte[] plane = new byte[pixels];
        for (int seg = 0; seg < expectedSegments; seg++) {
            long start = u32le(frame, 4 + 4 * seg);
            long end = seg + 1 < expectedSegments ? u32le(frame, 8 + 4 * seg) : frame.length;
            if (start < 64 || end > frame.length || start > end) {
                throw new DicomException(file, "RLE segment " + seg + " has offsets " + start + ".." + end
                        + " outside the frame of " + frame.length + " bytes");
            }
            unpackBits(file, frame, (int) start, (int) end, plane, seg);
            int sample = seg / bytesPerSample;
            int shift = 8 * (bytesPerSample - 1 - seg % bytesPerSample);
            for (int p = 0; p < pixels; p++) {
                raw[p * samples + sample] |= (long) (plane[p] & 0xFF) << shift;
            }
        }
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = StoredValues.interpret(raw[i], info.bitsStored(), info.signed());
        }
        return out;
    }

    /** PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
    private static void unpackBits(Path file, byte[] in, int pos, int end, byte[] out, int segment) throws DicomException {
        int o = 0;
        while (o < out.length && pos < end) {
            int n = in[pos++];
            if (n >= 0) {
                int count = n + 1;
                if (pos + count > end) {
                    count = end - pos; // a literal run cut by the segment end: take what is there
                }
                count = Math.min(count, out.length - o);
                System.arraycopy(in, pos, out, o, count);
                pos += n + 1;
                o += count;
            } else if (n != -128) {
                if (pos >= end) {
                    break;
                }
                int count = Math.min(1 - n, out.length - o);
                java.util.Arrays.fill(out, o, o + count, in[pos++]);
                o += count;
            }
        }
        if (o < out.length) {
            throw new DicomException(file, "RLE segment " + segment + " decodes to " + o + " bytes, "
                    + out.length + " expected");
        }
    }

    private static long u32le(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
