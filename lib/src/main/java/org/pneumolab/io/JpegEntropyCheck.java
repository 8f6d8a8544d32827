package org.pneumolab.io;

import java.util.Optional;

/**
 * Walks the Huffman-coded data of a sequential JPEG (SOF0/SOF1) without the inverse DCT, and
 * checks that it holds exactly the blocks the frame header promises: every code valid, every
 * coefficient index inside its block, restart markers where the restart interval puts them, and
 * the last block ending right before a marker. This is what libjpeg checks while decoding, and
 * then reports only as a warning ("premature end of data segment", "bad Huffman code") after
 * filling the rest with grey. OpenCV's reduced decode does not pass such warnings on, so the
 * reduced decode path runs this walk first. It costs a fraction of a full decode (no IDCT, no
 * colour, no output). Progressive and arithmetic-coded streams are not walked (empty result):
 * their decoders' own checks apply.
 */
public final class JpegEntropyCheck {
    private JpegEntropyCheck() {
    }

    /** Why the coded data does not decode to the promised image, or empty when it does (or cannot be walked). */
    public static Optional<String> problem(byte[] b) {
        try {
            return Optional.ofNullable(new Walk(b).run());
        } catch (Bad e) {
            return Optional.of(e.getMessage());
        }
    }

    private static final class Bad extends Exception {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** A canonical Huffman table in libjpeg's "maxcode/valptr" form. */
    private static final class Table {
        final int[] maxCode = new int[18];
        final int[] valOffset = new int[17];
        final int[] symbols;

        Table(int[] counts, int[] symbols) {
            this.symbols = symbols;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                valOffset[len] = k - code;
                code += counts[len - 1];
                k += counts[len - 1];
                maxCode[len] = counts[len - 1] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }
    }

    private static final class Walk {
        private final byte[] b;
        private final Table[] dc = new Table[4];
        private final Table[] ac = new Table[4];
        private int width;
        private int height;
        private int[] compId;
        private int[] compH;
        private int[] compV;
        private int hMax;
        private int vMax;
        private int restartInterval;
        private boolean sequential;
        // bit reader
        private int pos;
        private int bitBuf;
        private int bitCount;
        private boolean hitMarker;

        Walk(byte[] b) {
            this.b = b;
        }

        String run() throws Bad {
            int p = 2;
            boolean sawFrame = false;
            while (p + 4 <= b.length) {
                if ((b[p] & 0xFF) != 0xFF) {
                    return null; // the structural check reports this
                }
                int marker = b[p + 1] & 0xFF;
                if (marker == 0xFF) {
                    p++;
                    continue;
                }
                if (marker == 0xD9) {
                    return null;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    p += 2;
                    continue;
                }
                int len = u16(p + 2);
                int seg = p + 4;
                int end = p + 2 + len;
                if (len < 2 || end > b.length) {
                    return null;
                }
                switch (marker) {
                    case 0xC0, 0xC1 -> {
                        frame(seg, end);
                        sawFrame = true;
                        sequential = true;
                    }
                    case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> {
                        return null; // progressive, lossless or arithmetic: not walked here
                    }
                    case 0xC4 -> huffman(seg, end);
                    case 0xDD -> restartInterval = u16(seg);
                    case 0xDA -> {
                        if (!sawFrame || !sequential) {
                            return null;
                        }
                        end = scan(seg, end);
                    }
                    default -> {
                    }
                }
                p = end;
            }
            return null;
        }

        private void frame(int p, int end) throws Bad {
            height = u16(p + 1);
            width = u16(p + 3);
            int n = b[p + 5] & 0xFF;
            if (n < 1 || p + 6 + 3 * n > end || width == 0) {
                throw new Bad("JPEG frame header is corrupt");
            }
            compId = new int[n];
            compH = new int[n];
            compV = new int[n];
            hMax = 1;
            vMax = 1;
            for (int i = 0; i < n; i++) {
                compId[i] = b[p + 6 + 3 * i] & 0xFF;
                compH[i] = (b[p + 7 + 3 * i] & 0xFF) >> 4;
                compV[i] = b[p + 7 + 3 * i] & 0x0F;
                if (compH[i] < 1 || compH[i] > 4 || compV[i] < 1 || compV[i] > 4) {
                    throw new Bad("JPEG frame header has sampling factors " + compH[i] + "x" + compV[i]);
                }
                hMax = Math.max(hMax, compH[i]);
                vMax = Math.max(vMax, compV[i]);
            }
        }

        private void huffman(int p, int end) throws Bad {
            while (p < end) {
                int tc = (b[p] & 0xFF) >> 4;
                int th = b[p] & 0x0F;
                if (p + 17 > end || th > 3 || tc > 1) {
                    throw new Bad("JPEG Huffman table segment is corrupt");
                }
                int[] counts = new int[16];
                int total = 0;
                for (int i = 0; i < 16; i++) {
                    counts[i] = b[p + 1 + i] & 0xFF;
                    total += counts[i];
                }
                if (total > 256 || p + 17 + total > end) {
                    throw new Bad("JPEG Huffman table segment is corrupt");
                }
                int[] symbols = new int[total];
                for (int i = 0; i < total; i++) {
                    symbols[i] = b[p + 17 + i] & 0xFF;
                }
                (tc == 0 ? dc : ac)[th] = new Table(counts, symbols);
                p += 17 + total;
            }
        }

        /** Walks one scan; returns the position of the marker after its coded data. */
        private int scan(int p, int headerEnd) throws Bad {
            int ns = b[p] & 0xFF;
            if (ns < 1 || ns > 4 || p + 1 + 2 * ns + 3 > headerEnd) {
                throw new Bad("JPEG scan header is corrupt");
            }
            int[] comp = new int[ns];
            Table[] dcT = new Table[ns];
            Table[] acT = new Table[ns];
            for (int i = 0; i < ns; i++) {
                int id = b[p + 1 + 2 * i] & 0xFF;
                int c = -1;
                for (int k = 0; k < compId.length; k++) {
                    if (compId[k] == id) {
                        c = k;
                    }
                }
                if (c < 0) {
                    throw new Bad("JPEG scan names component " + id + ", which the frame does not have");
                }
                comp[i] = c;
                dcT[i] = dc[(b[p + 2 + 2 * i] & 0xFF) >> 4 & 3];
                acT[i] = ac[b[p + 2 + 2 * i] & 3];
                if (dcT[i] == null || acT[i] == null) {
                    throw new Bad("JPEG scan uses a Huffman table that was never defined");
                }
            }
            long mcus;
            int[] blocksPerMcu = new int[ns];
            if (ns == 1) {
                int c = comp[0];
                long cw = ceilDiv((long) width * compH[c], hMax);
                long ch = ceilDiv((long) height * compV[c], vMax);
                mcus = ceilDiv(cw, 8) * ceilDiv(ch, 8);
                blocksPerMcu[0] = 1;
            } else {
                mcus = ceilDiv(width, 8L * hMax) * ceilDiv(height, 8L * vMax);
                for (int i = 0; i < ns; i++) {
                    blocksPerMcu[i] = compH[comp[i]] * compV[comp[i]];
                }
            }
            if (height == 0) {
                return headerEnd; // height defined later by DNL: rare, not walked
            }
            pos = headerEnd;
            bitBuf = 0;
            bitCount = 0;
            hitMarker = false;
            int expectRst = 0;
            for (long m = 0; m < mcus; m++) {
                if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
                    restart(expectRst, m, mcus);
                    expectRst = (expectRst + 1) & 7;
                }
                for (int i = 0; i < ns; i++) {
                    for (int k = 0; k < blocksPerMcu[i]; k++) {
                        block(dcT[i], acT[i], m, mcus);
                    }
                }
            }
            // Padding bits of the last byte, then a marker must follow.
            bitCount = 0;
            if (hitMarker) {
                return pos;
            }
            int extra = 0;
            while (pos < b.length && !((b[pos] & 0xFF) == 0xFF && pos + 1 < b.length && (b[pos + 1] & 0xFF) != 0x00)) {
                pos++;
                extra++;
            }
            if (extra > 0) {
                throw new Bad("JPEG stream is corrupt: " + extra + " bytes of coded data after the last of "
                        + mcus + " blocks");
            }
            return pos;
        }

        private void restart(int expected, long m, long mcus) throws Bad {
            bitCount = 0; // byte-align
            if (!hitMarker) {
                if (pos + 1 < b.length && (b[pos] & 0xFF) == 0xFF && (b[pos + 1] & 0xFF) == 0xD0 + expected) {
                    pos += 2;
                    return;
                }
                throw new Bad("JPEG stream is corrupt: restart marker " + expected + " missing before block group "
                        + m + " of " + mcus);
            }
            if (pos + 1 < b.length && (b[pos + 1] & 0xFF) == 0xD0 + expected) {
                pos += 2;
                hitMarker = false;
                return;
            }
            throw new Bad("JPEG stream is corrupt: coded data ends before block group " + m + " of " + mcus);
        }

        private void block(Table dcT, Table acT, long m, long mcus) throws Bad {
            int s = decode(dcT, m, mcus);
            if (s > 15) {
                throw new Bad("JPEG stream is corrupt: bad DC difference size " + s + " in block group " + m);
            }
            bits(s, m, mcus);
            for (int k = 1; k < 64; ) {
                int rs = decode(acT, m, mcus);
                int r = rs >> 4;
                int size = rs & 15;
                if (size == 0) {
                    if (r != 15) {
                        return; // end of block
                    }
                    k += 16;
                } else {
                    k += r;
                    if (k > 63) {
                        throw new Bad("JPEG stream is corrupt: coefficient index past 63 in block group " + m + " of " + mcus);
                    }
                    bits(size, m, mcus);
                    k++;
                }
            }
        }

        private int decode(Table t, long m, long mcus) throws Bad {
            int code = 0;
            for (int len = 1; len <= 16; len++) {
                code = (code << 1) | bit(m, mcus);
                if (code <= t.maxCode[len]) {
                    int i = t.valOffset[len] + code;
                    if (i < 0 || i >= t.symbols.length) {
                        throw new Bad("JPEG stream is corrupt: bad Huffman code in block group " + m + " of " + mcus);
                    }
                    return t.symbols[i];
                }
            }
            throw new Bad("JPEG stream is corrupt: bad Huffman code in block group " + m + " of " + mcus);
        }

        private void bits(int n, long m, long mcus) throws Bad {
            for (int i = 0; i < n; i++) {
                bit(m, mcus);
            }
        }

        private int bit(long m, long mcus) throws Bad {
            if (bitCount == 0) {
                if (hitMarker || pos >= b.length) {
                    throw new Bad("JPEG stream is truncated: the coded data ends in block group " + m + " of " + mcus);
                }
                int v = b[pos] & 0xFF;
                if (v == 0xFF) {
                    int next = pos + 1 < b.length ? b[pos + 1] & 0xFF : -1;
                    if (next == 0x00) {
                        pos += 2;
                    } else {
                        hitMarker = true; // a marker where coded data should be
                        throw new Bad("JPEG stream is truncated: the coded data ends in block group " + m + " of " + mcus);
                    }
                } else {
                    pos++;
                }
                bitBuf = v;
                bitCount = 8;
            }
            bitCount--;
            return (bitBuf >> bitCount) & 1;
        }

        private int u16(int p) {
            return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
        }

        private static long ceilDiv(long a, long d) {
            return (a + d - 1) / d;
        }
    }
}
