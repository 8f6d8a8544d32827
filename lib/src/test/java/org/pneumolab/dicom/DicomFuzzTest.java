package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of valid files (byte flips, truncations, insertions, corrupted length
 * fields): each mutant must either read (and decode) or end in a DicomException, never another
 * exception, never a hang.
 */
class DicomFuzzTest {
    private static final long SEED = 20240611L;
    private static final int MUTANTS_PER_SEED_FILE = 1100;
    private static final List<String> SEED_FILES = List.of("MR_small.dcm", "MR_small_implicit.dcm",
            "MR_small_bigendian.dcm", "MR_small_RLE.dcm", "SC_rgb_jpeg_dcmtk.dcm", "image_dfl.dcm",
            "nested_priv_SQ.dcm", "UN_sequence.dcm", "SC_ybr_full_422_uncompressed.dcm", "rtdose_rle.dcm",
            "SC_rgb_rle_16bit.dcm", "liver_1frame.dcm");

    @Test
    void mutantsOnlyEverThrowDicomException() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : SEED_FILES) {
            seeds.add(Files.readAllBytes(PythonOracle.CORPUS.resolve(name)));
        }
        int[] outcome = new int[2]; // read fine, DicomException
        List<String> failures = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random random = new Random(SEED);
            for (int s = 0; s < seeds.size(); s++) {
                for (int i = 0; i < MUTANTS_PER_SEED_FILE; i++) {
                    String how = SEED_FILES.get(s) + " #" + i;
                    byte[] mutant = mutate(seeds.get(s), random);
                    try {
                        DicomFile f = DicomReader.parse(Path.of(how), mutant);
                        if (f.hasPixelData() && f.transferSyntax().pixelsSupported()) {
                            f.firstFrame();
                            DicomImages.toGray8(f);
                        }
                        outcome[0]++;
                    } catch (DicomException e) {
                        outcome[1]++;
                    } catch (Throwable t) {
                        if (failures.size() < 20) {
                            StringBuilder trace = new StringBuilder(how + ": " + t);
                            for (StackTraceElement el : Arrays.copyOf(t.getStackTrace(), Math.min(4, t.getStackTrace().length))) {
                                trace.append("\n      at ").append(el);
                            }
                            failures.add(trace.toString());
                        }
                    }
                }
            }
        });
        int total = seeds.size() * MUTANTS_PER_SEED_FILE;
        System.out.printf(Locale.ROOT, "fuzz: %d mutants (seed %d): %d read, %d DicomException, %d other%n",
                total, SEED, outcome[0], outcome[1], total - outcome[0] - outcome[1]);
        if (!failures.isEmpty()) {
            fail("mutants threw something other than DicomException:\n  " + String.join("\n  ", failures));
        }
        assertTrue(total >= 10_000);
        assertTrue(outcome[1] > total / 10, "too few mutants were rejected; is the mutation working?");
    }

    private static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        switch (r.nextInt(6)) {
            case 0 -> { // byte flips
                int n = 1 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncation
            case 2 -> { // insertion of random bytes
                int at = r.nextInt(b.length);
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(b, at, out, at + junk.length, b.length - at);
                b = out;
            }
            case 3 -> { // a length field (explicit VR short or long, or implicit) gets a new value
                int at = lengthFieldNear(b, r.nextInt(b.length));
                long[] values = {0xFFFFFFFFL, 0xFFFFFFFEL, 0x7FFFFFFFL, 0, 1, r.nextInt(), r.nextInt(1 << 16), b.length};
                long v = values[r.nextInt(values.length)];
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >> (8 * k));
                }
            }
            case 4 -> { // a small value (Rows, Columns, Bits...) gets an extreme one
                int at = r.nextInt(Math.max(1, b.length - 2));
                int v = new int[] {0, 1, 0xFFFF, 0x8000, 3, 12, 32}[r.nextInt(7)];
                b[at] = (byte) v;
                b[at + 1] = (byte) (v >> 8);
            }
            default -> { // a chunk duplicated (repeats headers, shifts everything after)
                int from = r.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + r.nextInt(64));
                int at = r.nextInt(b.length);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, from, out, at, len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                b = out;
            }
        }
        return b;
    }

    /** The offset of a plausible length field: 2 bytes after the next two uppercase VR letters, else the position. */
    private static int lengthFieldNear(byte[] b, int start) {
        for (int i = start; i + 3 < b.length && i < start + 256; i++) {
            if (DicomParser.isKnownVr(b[i], b[i + 1])) {
                boolean longVr = b[i + 2] == 0 && b[i + 3] == 0;
                return longVr ? Math.min(i + 4, b.length - 1) : i + 2;
            }
        }
        return start;
    }
}
