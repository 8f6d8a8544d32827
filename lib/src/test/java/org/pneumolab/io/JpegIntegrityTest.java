package org.pneumolab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.pneumolab.dicom.DicomFile;
import org.pneumolab.dicom.DicomReader;
import org.pneumolab.dicom.TransferSyntax;

/**
 * The structural and entropy checks on every JPEG Baseline frame of pydicom's corpus (colour,
 * subsampled, restart intervals, Adobe markers): complete frames pass both; every frame cut
 * short fails the structural check; every frame with a middle piece of its coded data removed
 * (end marker kept) fails the entropy check.
 */
class JpegIntegrityTest {
    private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private static List<byte[]> corpusFrames() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (var s = Files.list(CORPUS)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                try {
                    DicomFile f = DicomReader.read(p);
                    if (f.hasPixelData() && f.transferSyntax().uid().equals(TransferSyntax.JPEG_BASELINE_UID)) {
                        frames.add(f.encapsulatedFirstFrame());
                    }
                } catch (IOException e) {
                    // not readable: not a JPEG frame to test with
                }
            }
        }
        return frames;
    }

    @Test
    void completeFramesPassAndDamagedOnesAreNamed() throws IOException {
        List<byte[]> frames = corpusFrames();
        assertTrue(frames.size() >= 8, "pydicom's corpus has JPEG Baseline files: " + frames.size());
        int cutInside = 0;
        for (byte[] jpeg : frames) {
            assertEquals(Optional.empty(), JpegIntegrity.problem(jpeg));
            assertEquals(Optional.empty(), JpegEntropyCheck.problem(jpeg));
            int end = jpeg.length;
            while ((jpeg[end - 2] & 0xFF) != 0xFF || (jpeg[end - 1] & 0xFF) != 0xD9) {
                end--; // fragment padding after the end marker
            }
            for (double f : new double[] {0.3, 0.6, 0.95}) {
                byte[] cut = Arrays.copyOf(jpeg, (int) (end * f));
                assertTrue(JpegIntegrity.problem(cut).orElse("").contains("truncated"), JpegIntegrity.problem(cut).toString());
            }
            int from = end / 2;
            int to = from + Math.max(64, end / 6);
            byte[] inside = new byte[jpeg.length - (to - from)];
            System.arraycopy(jpeg, 0, inside, 0, from);
            System.arraycopy(jpeg, to, inside, from, jpeg.length - to);
            Optional<String> p = JpegIntegrity.problem(inside).or(() -> JpegEntropyCheck.problem(inside));
            assertTrue(p.isPresent(), "a frame with bytes " + from + ".." + to + " removed passed");
            cutInside++;
        }
        assertEquals(frames.size(), cutInside);
    }

    @Test
    void notJpegAtAll() {
        assertTrue(JpegIntegrity.problem(new byte[] {1, 2, 3, 4, 5}).orElseThrow().contains("start-of-image"));
        assertTrue(JpegIntegrity.problem(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}).isPresent());
    }
}
