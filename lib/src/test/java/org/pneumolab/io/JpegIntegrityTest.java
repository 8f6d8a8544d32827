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

    /** A JPEG written by the JDK with a restart interval (DRI) of {@code interval} MCUs. */
    static byte[] withRestarts(int w, int h, int type, int interval) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, type);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 3 + r.nextInt(40)) << 16 | (y * 2) << 8 | ((x + y) & 0xFF));
            }
        }
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageTypeSpecifier spec = javax.imageio.ImageTypeSpecifier.createFromRenderedImage(img);
        javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(spec, null);
        String format = "javax_imageio_jpeg_image_1.0";
        javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) meta.getAsTree(format);
        javax.imageio.metadata.IIOMetadataNode markers = (javax.imageio.metadata.IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
        javax.imageio.metadata.IIOMetadataNode dri = new javax.imageio.metadata.IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(interval));
        markers.insertBefore(dri, markers.getFirstChild());
        meta.setFromTree(format, root);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(new javax.imageio.IIOImage(img, null, meta));
        }
        writer.dispose();
        return out.toByteArray();
    }

    @Test
    void restartIntervalsAreFollowed() throws IOException {
        for (int type : new int[] {java.awt.image.BufferedImage.TYPE_BYTE_GRAY, java.awt.image.BufferedImage.TYPE_3BYTE_BGR}) {
            byte[] jpeg = withRestarts(100, 75, type, 3);
            int rst = -1;
            for (int i = 0; i + 1 < jpeg.length; i++) {
                if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xD2) {
                    rst = i; // the third restart marker
                    break;
                }
            }
            assertTrue(rst > 0, "the writer put restart markers in");
            assertEquals(Optional.empty(), JpegIntegrity.problem(jpeg));
            assertEquals(Optional.empty(), JpegEntropyCheck.problem(jpeg), "type " + type);
            byte[] noMarker = new byte[jpeg.length - 2];
            System.arraycopy(jpeg, 0, noMarker, 0, rst);
            System.arraycopy(jpeg, rst + 2, noMarker, rst, jpeg.length - rst - 2);
            assertTrue(JpegEntropyCheck.problem(noMarker).orElse("").contains("restart marker 2"),
                    JpegEntropyCheck.problem(noMarker).toString());
            byte[] shortSegment = new byte[jpeg.length - 6];
            System.arraycopy(jpeg, 0, shortSegment, 0, rst - 6);
            System.arraycopy(jpeg, rst, shortSegment, rst - 6, jpeg.length - rst);
            assertTrue(JpegEntropyCheck.problem(shortSegment).isPresent(), "a restart segment 6 bytes short");
        }
    }

    @Test
    void aWarningAboutMetadataIsNotDamageButOneAboutPixelsIs(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] jpeg = withRestarts(64, 48, java.awt.image.BufferedImage.TYPE_BYTE_GRAY, 2);
        // An APP2 ICC_PROFILE segment whose profile is garbage: the decoder warns and ignores it.
        byte[] icc = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] body = new byte[icc.length + 2 + 40];
        System.arraycopy(icc, 0, body, 0, icc.length);
        body[icc.length] = 1;
        body[icc.length + 1] = 1;
        java.util.Arrays.fill(body, icc.length + 2, body.length, (byte) 0x5A);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE2);
        out.write((body.length + 2) >> 8);
        out.write((body.length + 2) & 0xFF);
        out.write(body, 0, body.length);
        out.write(jpeg, 2, jpeg.length - 2);
        Path withIcc = dir.resolve("icc.jpeg");
        Files.write(withIcc, out.toByteArray());
        assertEquals(64, org.pneumolab.data.ImageDecoders.imageIo(withIcc).width());
        assertTrue(!JpegIntegrity.concernsPixels("Ignoring invalid ICC profile"));
        assertTrue(JpegIntegrity.concernsPixels("Corrupt JPEG data: premature end of data segment"));
        Path cut = dir.resolve("cut.jpeg");
        Files.write(cut, Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> org.pneumolab.data.ImageDecoders.imageIo(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }
}
