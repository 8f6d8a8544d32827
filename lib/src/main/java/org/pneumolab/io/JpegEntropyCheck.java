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

    /**
     * A canonical Huffman table: a 9-bit lookahead table for the common short codes (entry =
     * length << 8 | symbol, 0 when the code is longer), and libjpeg's "maxcode/valptr" form for
     * the rest.
     */
    private static final class Table {
        static final int LOOKAHEAD = 9;
        final int[] lookup = new int[1 << LOOKAHEAD];
        final int[] maxCode = new int[18];
        final int[] valOffset = new int[17];
        final int[] symbols;

        Table(int[] counts, int[] symbols) {
            this.symbols = symbols;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                valOffset[len] = k - code;
                for (int i = 0; i < counts[len - 1]; i++, code++, k++) {
                    if (len <= LOOKAHEAD && code < (1 << len)) {
                        int first = code << (LOOKAHEAD - len);
                        for (int f = 0; f < 1 << (LOOKAHEAD - len); f++) {
                            lookup[first + f] = len << 8 | symbols[k];
                        }
                    }
                }
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
        // Bit reader: the low {@code bits} bits of {@code buf} are the next coded bits. Filling
        // stops at a marker (or the end of the bytes); bits asked for beyond that are missing data.
        private int pos;
        private long buf;
        private int bits;
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
            buf = 0;
            bits = 0;
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
            // Only the padding bits of the last byte may remain, then a marker must follow.
            if (bits >= 8 || !atMarker()) {
                throw new Bad("JPEG stream is corrupt: coded data continues after the last of " + mcus + " block groups");
            }
            return pos;
        }

        /** Whether {@code pos} is at a marker (0xFF not followed by a stuffed 0x00). */
        private boolean atMarker() {
            return pos + 1 < b.length && (b[pos] & 0xFF) == 0xFF && (b[pos + 1] & 0xFF) != 0x00;
        }

        private void restart(int expected, long m, long mcus) throws Bad {
            if (bits >= 8) {
                throw new Bad("JPEG stream is corrupt: coded data continues where restart marker " + expected
                        + " belongs (before block group " + m + " of " + mcus + ")");
            }
            if (pos + 1 < b.length && (b[pos] & 0xFF) == 0xFF && (b[pos + 1] & 0xFF) == 0xD0 + expected) {
                pos += 2;
                buf = 0;
                bits = 0;
                hitMarker = false;
                return;
            }
            throw new Bad(atMarker() || pos >= b.length
                    ? "JPEG stream is truncated: the coded data ends before block group " + m + " of " + mcus
                    : "JPEG stream is corrupt: restart marker " + expected + " missing before block group " + m + " of " + mcus);
        }

        private void block(Table dcT, Table acT, long m, long mcus) throws Bad {
            int s = symbol(dcT, m, mcus);
            if (s > 15) {
                throw new Bad("JPEG stream is corrupt: bad DC difference size " + s + " in block group " + m);
            }
            magnitude(s, m, mcus);
            for (int k = 1; k < 64; ) {
                int rs = symbol(acT, m, mcus);
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
                    magnitude(size, m, mcus);
                    k++;
                }
            }
        }

        /** One Huffman symbol; the fast path reads straight from the buffer while 16 bits are there. */
        private int symbol(Table t, long m, long mcus) throws Bad {
            if (bits < 32) {
                fill();
            }
            if (bits >= 16) {
                int e = t.lookup[(int) (buf >>> (bits - Table.LOOKAHEAD)) & ((1 << Table.LOOKAHEAD) - 1)];
                if (e != 0) {
                    bits -= e >> 8;
                    return e & 0xFF;
                }
            }
            return decode(t, m, mcus);
        }

        /** Skips the {@code n} magnitude bits after a symbol (n <= 15; the symbol left at least 16 unless at the end). */
        private void magnitude(int n, long m, long mcus) throws Bad {
            if (bits < n) {
                skip(n, m, mcus);
            } else {
                bits -= n;
            }
        }

        private int decode(Table t, long m, long mcus) throws Bad {
            int e = t.lookup[peek(Table.LOOKAHEAD)];
            if (e != 0) {
                skip(e >> 8, m, mcus);
                return e & 0xFF;
            }
            int code16 = peek(16);
            for (int len = Table.LOOKAHEAD + 1; len <= 16; len++) {
                int code = code16 >>> (16 - len);
                if (code <= t.maxCode[len]) {
                    int i = t.valOffset[len] + code;
                    if (i < 0 || i >= t.symbols.length) {
                        break;
                    }
                    skip(len, m, mcus);
                    return t.symbols[i];
                }
            }
            if (bits < 16 && hitMarker) {
                throw new Bad("JPEG stream is truncated: the coded data ends in block group " + m + " of " + mcus);
            }
            throw new Bad("JPEG stream is corrupt: bad Huffman code in block group " + m + " of " + mcus);
        }

        private void fill() {
            while (bits <= 56 && !hitMarker) {
                if (pos >= b.length) {
                    hitMarker = true;
                    return;
                }
                int v = b[pos] & 0xFF;
                if (v == 0xFF) {
                    if (pos + 1 < b.length && b[pos + 1] == 0) {
                        pos += 2; // stuffed 0xFF
                    } else {
                        hitMarker = true; // a marker: the coded data stops here
                        return;
                    }
                } else {
                    pos++;
                }
                buf = buf << 8 | v;
                bits += 8;
            }
        }

        /** The next {@code n} bits (n <= 16), zero-padded past the end of the coded data. */
        private int peek(int n) {
            if (bits < n) {
                fill();
            }
            int mask = (1 << n) - 1;
            return bits >= n ? (int) (buf >>> (bits - n)) & mask : (int) (buf << (n - bits)) & mask;
        }

        private void skip(int n, long m, long mcus) throws Bad {
            if (bits < n) {
                fill();
                if (bits < n) {
                    throw new Bad("JPEG stream is truncated: the coded data ends in block group " + m + " of " + mcus);
                }
            }
            bits -= n;
        }

        private int u16(int p) {
            return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
        }

        private static long ceilDiv(long a, long d) {
            return (a + d - 1) / d;
        }
    }
}
