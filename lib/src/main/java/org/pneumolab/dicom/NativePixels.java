package org.pneumolab.dicom;

import java.nio.file.Path;

/** Decodes the first frame of native (uncompressed) pixel data into stored sample values. */
final class NativePixels {
    private NativePixels() {
    }

    /**
     * Stored values of frame 0, interleaved, before any rescale. YBR_FULL_422 is expanded to one
     * Y, Cb, Cr triple per pixel (its stored form shares Cb/Cr between two pixels).
     */
    static double[] firstFrame(Path file, DicomElement pixelData, PixelInfo info, boolean bigEndian) throws DicomException {
        int samples = info.samplesPerPixel();
        boolean subsampled = info.photometric().equals("YBR_FULL_422") && samples == 3;
        if (info.bitsAllocated() == 1 && samples != 1) {
            throw new DicomException(file, "1-bit pixel data with " + samples + " samples per pixel is not supported");
        }
        if (subsampled && (info.columns() % 2 != 0 || info.bitsAllocated() == 1)) {
            throw new DicomException(file, "YBR_FULL_422 needs an even number of columns and 8 or more bits");
        }
        checkLength(file, pixelData, info, subsampled);
        SampleReader in = new SampleReader(pixelData.buffer(), pixelData.offset(), info, bigEndian);
        int pixels = (int) info.pixelsPerFrame();
        double[] out = new double[pixels * samples];
        if (subsampled) {
            for (int p = 0; p < pixels; p += 2) {
                double y0 = in.next();
                double y1 = in.next();
                double cb = in.next();
                double cr = in.next();
                out[3 * p] = y0;
                out[3 * p + 1] = cb;
                out[3 * p + 2] = cr;
                out[3 * p + 3] = y1;
                out[3 * p + 4] = cb;
                out[3 * p + 5] = cr;
            }
        } else if (samples == 3 && info.planar()) {
            for (int s = 0; s < 3; s++) {
                for (int p = 0; p < pixels; p++) {
                    out[3 * p + s] = in.next();
                }
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = in.next();
            }
        }
        return out;
    }

    /**
     * The pixel data must hold exactly frames x rows x columns x samples (plus the one byte that
     * pads an odd length to even): shorter means the file was cut or Rows/Columns/NumberOfFrames
     * claim more than is there. Longer is allowed only as zero padding after the data (pydicom's
     * corpus has such a file); anything else there means Rows/Columns do not describe the data,
     * and decoding would shear every row.
     */
    static void checkLength(Path file, DicomElement pixelData, PixelInfo info, boolean subsampled) throws DicomException {
        long have = pixelData.length();
        long frames = info.numberOfFrames();
        long bitsPerFrame = subsampled ? info.pixelsPerFrame() * 2 * info.bitsAllocated()
                : info.pixelsPerFrame() * info.samplesPerPixel() * info.bitsAllocated();
        long needed = (bitsPerFrame * frames + 7) / 8;
        String shape = frames + " frame(s) of " + info.rows() + " rows x " + info.columns() + " columns x "
                + info.samplesPerPixel() + " sample(s) x " + info.bitsAllocated() + " bits";
        if (have < needed) {
            throw new DicomException(file, "pixel data has " + have + " bytes but " + shape + " need " + needed
                    + " (truncated, or Rows/Columns/NumberOfFrames are wrong)");
        }
        if (have > needed && !zeros(pixelData.buffer(), pixelData.offset() + needed, pixelData.offset() + have)) {
            throw new DicomException(file, "pixel data has " + have + " bytes but " + shape + " take " + needed
                    + " (Rows, Columns or NumberOfFrames do not match the data)");
        }
    }

    private static boolean zeros(byte[] b, long from, long to) {
        for (long i = from; i < to; i++) {
            if (b[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads consecutive samples of BitsAllocated bits, masked to BitsStored and sign-extended. */
    private static final class SampleReader {
        private final byte[] buf;
        private final int bitsAllocated;
        private final int bitsStored;
        private final boolean signed;
        private final boolean bigEndian;
        private int pos;
        private long bitIndex;

        SampleReader(byte[] buf, int offset, PixelInfo info, boolean bigEndian) {
            this.buf = buf;
            this.pos = offset;
            this.bitsAllocated = info.bitsAllocated();
            this.bitsStored = info.bitsStored();
            this.signed = info.signed();
            this.bigEndian = bigEndian;
        }

        double next() {
            long raw;
            switch (bitsAllocated) {
                case 1 -> {
                    // Bits are packed little-endian-first within each byte (PS3.5 D.2).
                    int b = buf[pos + (int) (bitIndex >>> 3)] >> (bitIndex & 7) & 1;
                    bitIndex++;
                    return b;
                }
                case 8 -> raw = buf[pos++] & 0xFF;
                case 16 -> {
                    int a = buf[pos] & 0xFF;
                    int b = buf[pos + 1] & 0xFF;
                    raw = bigEndian ? (a << 8) | b : (b << 8) | a;
                    pos += 2;
                }
                default -> {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = (v << 8) | (buf[pos + (bigEndian ? i : 3 - i)] & 0xFF);
                    }
                    raw = v;
                    pos += 4;
                }
            }
            return StoredValues.interpret(raw, bitsStored, signed);
        }
    }
}
