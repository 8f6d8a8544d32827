package org.pneumolab.io;

import java.util.Optional;

/**
 * Checks that a JPEG stream is complete before any decoder sees it. libjpeg (behind both the
 * JDK's ImageIO reader and OpenCV) answers a stream that ends early with a warning and fills
 * the missing rows with grey; OpenCV does not pass that warning on at all. So the structure is
 * walked here: start-of-image, marker segments whose lengths fit the bytes, a frame header, at
 * least one scan, and entropy-coded data that ends at a marker (finally end-of-image) instead of
 * at the end of the bytes. Bytes after end-of-image are allowed (DICOM pads fragments to an even
 * length). This catches truncation wherever it happens; damage inside the entropy-coded data
 * that keeps the structure is left to the decoder's own warnings.
 */
public final class JpegIntegrity {
    private JpegIntegrity() {
    }

    /** What is wrong with the stream's structure, or empty when it is complete. */
    public static Optional<String> problem(byte[] b) {
        return problem(b, 0, b.length);
    }

    public static Optional<String> problem(byte[] b, int from, int to) {
        if (to - from < 4 || (b[from] & 0xFF) != 0xFF || (b[from + 1] & 0xFF) != 0xD8) {
            return Optional.of("JPEG stream does not start with a start-of-image marker");
        }
        boolean frame = false;
        boolean scan = false;
        int p = from + 2;
        while (true) {
            if (p >= to) {
                return Optional.of(scan ? "JPEG stream is truncated: it ends without an end-of-image marker"
                        : "JPEG stream is truncated: it ends in the headers, before any scan");
            }
            if ((b[p] & 0xFF) != 0xFF) {
                return Optional.of("JPEG stream is corrupt: byte " + (p - from) + " should start a marker");
            }
            while (p + 1 < to && (b[p + 1] & 0xFF) == 0xFF) {
                p++; // fill bytes before a marker
            }
            if (p + 1 >= to) {
                return Optional.of("JPEG stream is truncated inside a marker");
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xD9) {
                if (!frame || !scan) {
                    return Optional.of("JPEG stream ends before " + (frame ? "any scan" : "a frame header"));
                }
                return Optional.empty();
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2; // standalone markers
                continue;
            }
            if (marker == 0x00 || marker == 0xD8) {
                return Optional.of(String.format("JPEG stream is corrupt: unexpected marker 0xFF%02X at byte %d",
                        marker, p - from));
            }
            if (p + 4 > to) {
                return Optional.of("JPEG stream is truncated inside a segment header");
            }
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if (len < 2) {
                return Optional.of("JPEG stream is corrupt: segment length " + len + " at byte " + (p - from));
            }
            if ((long) p + 2 + len > to) {
                return Optional.of(String.format("JPEG stream is truncated inside the 0xFF%02X segment", marker));
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                frame = true;
            }
            p += 2 + len;
            if (marker == 0xDA) {
                if (!frame) {
                    return Optional.of("JPEG stream has a scan before its frame header");
                }
                scan = true;
                p = endOfEntropyData(b, p, to);
                if (p < 0) {
                    return Optional.of("JPEG stream is truncated: its compressed data stops without an end-of-image marker");
                }
            }
        }
    }

    /** The position of the marker that ends the entropy-coded data starting at {@code p}, or -1 at the end of the bytes. */
    private static int endOfEntropyData(byte[] b, int p, int to) {
        while (p < to) {
            if ((b[p] & 0xFF) != 0xFF) {
                p++;
                continue;
            }
            if (p + 1 >= to) {
                return -1;
            }
            int next = b[p + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                p += 2; // stuffed 0xFF or a restart marker: still entropy-coded data
            } else if (next == 0xFF) {
                p++; // fill byte
            } else {
                return p;
            }
        }
        return -1;
    }

    /**
     * Whether a decoder warning says something about the pixels (a stream that ends early, a
     * corrupt Huffman code, extraneous bytes in the coded data...), as opposed to metadata the
     * decoder ignored (an invalid ICC profile, a JFIF thumbnail), which leaves the pixels intact.
     */
    public static boolean concernsPixels(String warning) {
        String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
        return !(w.contains("icc") || w.contains("thumbnail") || w.contains("jfxx"));
    }
}
