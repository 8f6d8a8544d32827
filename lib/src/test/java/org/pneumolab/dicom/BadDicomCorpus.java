package org.pneumolab.dicom;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * A fixed-seed corpus of DICOM files as a new user's data would break, for the fuzz and
 * bad-input tests. Each file carries its kind: {@link Kind#damaged()} kinds have pixels that are
 * not what the file's header says (a reader that accepts them as clean is wrong); {@link
 * Kind#MUTATED} files had random bytes changed, so whether they can still be read is not known in
 * advance, only that reading them must not crash or stop a batch; {@link Kind#VALID} files must read.
 */
public final class BadDicomCorpus {
    /** What was done to a file. */
    public enum Kind {
        VALID(false), MUTATED(false), PIXELLESS(false),
        JPEG_TRUNCATED(true), JPEG_CUT_INSIDE(true), FILE_TRUNCATED(true), NATIVE_SHORT(true),
        COLUMNS_MISMATCH(true), MULTIFRAME_TENTH(true), PIXEL_BOMB(true), EMPTY(true), NOT_DICOM(true);

        private final boolean damaged;

        Kind(boolean damaged) {
            this.damaged = damaged;
        }

        /** Whether a reader must refuse it. */
        public boolean damaged() {
            return damaged;
        }
    }

    /** One file of the corpus. */
    public record Entry(Path file, Kind kind, String how) {
    }

    static final Path CORPUS = PythonOracle.CORPUS;
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private BadDicomCorpus() {
    }

    /** An RSNA-like file: 8-bit MONOCHROME2 JPEG Baseline, {@code size} x {@code size}, textured so JPEG has work. */
    public static byte[] rsnaLike(int size, long seed) throws IOException {
        return DicomWriter.toBytes(header(size, size, seed), jpeg(size, seed));
    }

    static DicomWriter.ChestRadiograph header(int rows, int columns, long seed) {
        String id = "fuzz-" + Long.toHexString(seed);
        return new DicomWriter.ChestRadiograph(id, id, "F", "51", "PA", rows, columns, 0.143, "2.25.1", "2.25.12",
                "2.25." + Math.abs(seed));
    }

    /** A baseline JPEG with smooth anatomy-like gradients and noise. */
    public static byte[] jpeg(int size, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double lung = Math.abs(x - size / 2.0) / size;
                int g = (int) (60 + 120 * lung + 40 * Math.sin(y * 0.07) + r.nextGaussian() * 12);
                img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, g)));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    /** A native 16-bit file with the given pixel bytes and header size. */
    static byte[] native16(int rows, int columns, int frames, byte[] pixels) {
        DicomBytes b = DicomBytes.part10(EXPLICIT_LE).text(0x00100020, "LO", "native");
        b.text(0x00280004, "CS", "MONOCHROME2").us(0x00280002, 1);
        if (frames > 1) {
            b.text(0x00280008, "IS", Integer.toString(frames));
        }
        b.us(0x00280010, rows).us(0x00280011, columns).us(0x00280100, 16).us(0x00280101, 12).us(0x00280102, 11)
                .us(0x00280103, 0);
        return b.element(0x7FE00010, "OW", pixels).bytes();
    }

    static byte[] ramp(int bytes, Random r) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i += 2) {
            int v = 100 + r.nextInt(3000);
            b[i] = (byte) v;
            if (i + 1 < bytes) {
                b[i + 1] = (byte) (v >> 8);
            }
        }
        return b;
    }

    /** A file whose header and JPEG frame header claim {@code side} x {@code side} but whose data is a small image's. */
    public static byte[] jpegBomb(int side, long seed) throws IOException {
        byte[] small = jpeg(384, seed);
        int[] sof = sofOffset(small);
        small[sof[0] + 5] = (byte) (side >> 8);
        small[sof[0] + 6] = (byte) side;
        small[sof[0] + 7] = (byte) (side >> 8);
        small[sof[0] + 8] = (byte) side;
        return DicomWriter.toBytes(header(side, side, seed), small);
    }

    /**
     * An RLE Lossless file of {@code side} x {@code side} 8-bit pixels that really decodes to that
     * size (runs of 128 equal bytes, 64 times smaller than the image): a few MB that need
     * gigabytes once decoded.
     */
    public static byte[] rleBomb(int side) {
        long pixels = (long) side * side;
        ByteArrayOutputStream seg = new ByteArrayOutputStream((int) (pixels / 64 + 64));
        byte[] header = new byte[64];
        header[0] = 1;
        header[4] = 64;
        seg.writeBytes(header);
        for (long left = pixels; left > 0; left -= 128) {
            int n = (int) Math.min(128, left);
            seg.write(257 - n); // -(n-1) as a byte: repeat the next byte n times
            seg.write(90);
        }
        byte[] frame = seg.toByteArray();
        if (frame.length % 2 != 0) {
            frame = Arrays.copyOf(frame, frame.length + 1);
        }
        DicomBytes b = DicomBytes.part10(TransferSyntax.RLE_LOSSLESS_UID).text(0x00100020, "LO", "rle-bomb")
                .grayImage(side, side, 8);
        b.header(0x7FE00010, "OB", 0xFFFFFFFFL).item(0xFFFEE000, 0).item(0xFFFEE000, frame.length).raw(frame)
                .item(0xFFFEE0DD, 0);
        return b.bytes();
    }

    /** A valid file without pixel data (e.g. a structured report in an image folder). */
    public static byte[] pixelless() {
        return DicomBytes.part10(EXPLICIT_LE).text(0x00080060, "CS", "SR").text(0x00100020, "LO", "nopixels").bytes();
    }

    /** {offset of SOF0 marker} in a JPEG stream. */
    private static int[] sofOffset(byte[] jpeg) {
        for (int p = 2; p + 4 < jpeg.length; ) {
            int marker = jpeg[p + 1] & 0xFF;
            int len = (jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC1) {
                return new int[] {p};
            }
            p += 2 + len;
        }
        throw new IllegalStateException("no SOF0");
    }

    /** {start, end} of the entropy-coded data after the first SOS. */
    private static int[] scanData(byte[] jpeg) {
        for (int p = 2; p + 4 < jpeg.length; ) {
            int marker = jpeg[p + 1] & 0xFF;
            int len = (jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF);
            if (marker == 0xDA) {
                return new int[] {p + 2 + len, jpeg.length - 2};
            }
            p += 2 + len;
        }
        throw new IllegalStateException("no SOS");
    }

    /**
     * Writes the corpus into {@code dir}: valid bases, each damaged kind, and {@code mutantsPerBase}
     * random mutants of each base. Same seed, same files.
     */
    public static List<Entry> write(Path dir, long seed, int mutantsPerBase, int truncationsPerJpeg) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        List<Entry> out = new ArrayList<>();
        List<byte[]> bases = new ArrayList<>();
        List<String> baseNames = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            bases.add(rsnaLike(128 + 64 * i, seed + i));
            baseNames.add("rsna" + i);
        }
        for (String name : List.of("MR_small.dcm", "MR_small_RLE.dcm", "CT_small.dcm", "SC_rgb_jpeg_dcmtk.dcm",
                "image_dfl.dcm", "SC_rgb_rle_16bit_2frame.dcm")) {
            bases.add(Files.readAllBytes(CORPUS.resolve(name)));
            baseNames.add(name.replace(".dcm", ""));
        }
        bases.add(native16(64, 64, 1, ramp(64 * 64 * 2, r)));
        baseNames.add("native16");
        for (int i = 0; i < bases.size(); i++) {
            out.add(save(dir, "valid-" + baseNames.get(i), bases.get(i), Kind.VALID, "unchanged"));
        }
        // JPEG streams cut short (the file itself stays valid DICOM), and cut inside with the end marker kept.
        for (int i = 0; i < 2; i++) {
            byte[] jpeg = jpeg(128 + 64 * i, seed + i);
            int[] scan = scanData(jpeg);
            for (int k = 0; k < truncationsPerJpeg; k++) {
                int cut = scan[0] + 1 + r.nextInt(scan[1] - scan[0] - 1);
                byte[] cutJpeg = Arrays.copyOf(jpeg, cut);
                out.add(save(dir, "jpegcut-" + i + "-" + k, DicomWriter.toBytes(header(128 + 64 * i, 128 + 64 * i, seed + i), cutJpeg),
                        Kind.JPEG_TRUNCATED, "JPEG stream cut at byte " + cut + " of " + jpeg.length));
                int from = scan[0] + r.nextInt((scan[1] - scan[0]) / 2);
                int to = from + (scan[1] - from) / 2;
                byte[] inside = new byte[jpeg.length - (to - from)];
                System.arraycopy(jpeg, 0, inside, 0, from);
                System.arraycopy(jpeg, to, inside, from, jpeg.length - to);
                out.add(save(dir, "jpeginside-" + i + "-" + k, DicomWriter.toBytes(header(128 + 64 * i, 128 + 64 * i, seed + i), inside),
                        Kind.JPEG_CUT_INSIDE, "compressed bytes " + from + ".." + to + " removed, end marker kept"));
            }
        }
        // Whole files cut inside their pixel data.
        for (int i = 0; i < bases.size(); i++) {
            byte[] b = bases.get(i);
            int cut = b.length / 2 + r.nextInt(b.length / 2 - 1);
            out.add(save(dir, "filecut-" + baseNames.get(i), Arrays.copyOf(b, cut), Kind.FILE_TRUNCATED,
                    "file cut at byte " + cut + " of " + b.length));
        }
        out.add(save(dir, "native-short", native16(64, 64, 1, ramp(64 * 60 * 2, r)), Kind.NATIVE_SHORT,
                "60 of 64 rows of pixel data"));
        out.add(save(dir, "columns-mismatch", native16(64, 62, 1, ramp(64 * 64 * 2, r)), Kind.COLUMNS_MISMATCH,
                "Columns 62 for 64-column data"));
        out.add(save(dir, "multiframe-tenth", native16(64, 64, 10, ramp(64 * 64 * 2, r)), Kind.MULTIFRAME_TENTH,
                "10 frames declared, 1 present"));
        out.add(save(dir, "bomb-jpeg", jpegBomb(14000, seed), Kind.PIXEL_BOMB, "14000 x 14000 claimed by a 384 px JPEG"));
        out.add(save(dir, "bomb-native", native16(14000, 14000, 1, ramp(4096, r)), Kind.PIXEL_BOMB,
                "14000 x 14000 native header, 4 KB of data"));
        out.add(save(dir, "empty", new byte[0], Kind.EMPTY, "0 bytes"));
        out.add(save(dir, "not-dicom", "patientId,x,y\nthis is a CSV file named .dcm\n".getBytes(StandardCharsets.US_ASCII),
                Kind.NOT_DICOM, "text"));
        out.add(save(dir, "pixelless", pixelless(), Kind.PIXELLESS, "no (7FE0,0010)"));
        for (int i = 0; i < bases.size(); i++) {
            for (int k = 0; k < mutantsPerBase; k++) {
                out.add(save(dir, "mutant-" + baseNames.get(i) + "-" + k, mutate(bases.get(i), r), Kind.MUTATED, "random bytes"));
            }
        }
        return out;
    }

    private static Entry save(Path dir, String name, byte[] bytes, Kind kind, String how) throws IOException {
        Path f = dir.resolve(name + ".dcm");
        Files.write(f, bytes);
        return new Entry(f, kind, how);
    }

    /** Byte flips, insertions, duplicated chunks and changed 16-bit values, as in {@code DicomFuzzTest}. */
    static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                int n = 1 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> {
                int at = r.nextInt(b.length);
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                byte[] o = new byte[b.length + junk.length];
                System.arraycopy(b, 0, o, 0, at);
                System.arraycopy(junk, 0, o, at, junk.length);
                System.arraycopy(b, at, o, at + junk.length, b.length - at);
                b = o;
            }
            case 2 -> {
                int at = r.nextInt(Math.max(1, b.length - 2));
                int v = new int[] {0, 1, 0xFFFF, 0x8000, 3, 12, 32}[r.nextInt(7)];
                b[at] = (byte) v;
                b[at + 1] = (byte) (v >> 8);
            }
            default -> {
                int from = r.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + r.nextInt(64));
                int at = r.nextInt(b.length);
                byte[] o = new byte[b.length + len];
                System.arraycopy(b, 0, o, 0, at);
                System.arraycopy(b, from, o, at, len);
                System.arraycopy(b, at, o, at + len, b.length - at);
                b = o;
            }
        }
        return b;
    }
}
