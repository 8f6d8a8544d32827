package org.pneumolab.image;

import java.io.IOException;

/**
 * Size and channel count of a baseline or progressive JPEG, read from its SOF marker without
 * decoding any pixels: enough to choose a DCT scale before decoding.
 */
public record JpegHeader(int width, int height, int components) {

    /**
     * Parses the header of {@code jpeg}; {@code source} (a file name, or "DICOM frame 3 of x.dcm")
     * names the input in error messages.
     */
    public static JpegHeader parse(byte[] jpeg, String source) throws IOException {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IOException(source + ": not a JPEG stream (no SOI marker 0xFFD8 at the start)");
        }
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                throw new IOException(source + ": corrupt JPEG: expected a marker at byte " + i);
            }
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // EOI or start of scan before any frame header
            }
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 10 > jpeg.length) {
                    break;
                }
                int height = ((jpeg[i + 5] & 0xFF) << 8) | (jpeg[i + 6] & 0xFF);
                int width = ((jpeg[i + 7] & 0xFF) << 8) | (jpeg[i + 8] & 0xFF);
                int components = jpeg[i + 9] & 0xFF;
                if (width == 0 || height == 0) {
                    throw new IOException(source + ": JPEG frame header gives size " + width + "x" + height);
                }
                return new JpegHeader(width, height, components);
            }
            i += 2 + length;
        }
        throw new IOException(source + ": truncated or corrupt JPEG: no frame header (SOF marker) found");
    }
}
