package org.pneumolab.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.pneumolab.io.JpegIntegrity;

/**
 * JPEG Baseline frames through ImageIO (the JDK's reader, or TwelveMonkeys' when it is on the
 * class path, which handles more of the JPEG variants DICOM writers produce). Colour comes back
 * as RGB whatever the JPEG's internal colour space was. A frame is checked before decoding
 * (complete stream, size within the pixel budget) and any decoder warning about the pixels is an
 * error: libjpeg fills what it could not decode with grey and says so only as a warning.
 *
 * <p>TwelveMonkeys is 3.1.1 (DataVec brings it). 3.14.0 was measured and not pinned: on the 16
 * JPEG-family frames of pydicom's corpus it decodes 13 (3.1.1: 12; the JDK reader: 13), the extra
 * one being JPEG Lossless, a syntax this reader does not accept; on the 242 JPEG frames of the
 * fuzz corpus both versions report exactly the same damage (89 clean, 140 warnings, 13
 * failures), because for baseline JPEG TwelveMonkeys hands the decode to the JDK's libjpeg.
 */
final class JpegBaselineDecoder {
    private JpegBaselineDecoder() {
    }

    /**
     * Decodes a JPEG stream; corrupt or unreadable data is a DicomException. Each registered
     * reader is tried in turn: TwelveMonkeys 3.1 fails on some Adobe APP14 segments that the
     * JDK's reader handles, and vice versa for some colour transforms.
     */
    static BufferedImage decodeImage(Path file, byte[] jpeg) throws DicomException {
        return (BufferedImage) decode(file, jpeg, false);
    }

    /**
     * Decodes without any colour conversion (a Raster of the stored components), for RGB data
     * that was compressed without the YCbCr transform.
     */
    static Raster decodeRaw(Path file, byte[] jpeg) throws DicomException {
        return (Raster) decode(file, jpeg, true);
    }

    /**
     * JPEG compresses a flat image by at most a few hundred times; a frame that claims more
     * pixels per byte than this is corrupt, and is refused before a decoder allocates for it.
     */
    private static final long MAX_PIXELS_PER_BYTE = 2000;

    /** Checks the frame header (SOF) against the DICOM header before anything is decoded. */
    static void checkFrameHeader(Path file, byte[] jpeg, PixelInfo info) throws DicomException {
        checkComplete(file, jpeg);
        int[] size = sofSize(jpeg);
        if (size == null) {
            throw new DicomException(file, "JPEG Baseline frame has no SOF0/SOF1 frame header (not baseline JPEG data)");
        }
        checkSize(file, size[1], size[0], info);
        long samples = info.pixelsPerFrame() * info.samplesPerPixel();
        if (samples > Math.max(1L << 24, MAX_PIXELS_PER_BYTE * jpeg.length)) {
            throw new DicomException(file, "JPEG frame of " + jpeg.length + " bytes cannot hold "
                    + info.rows() + " x " + info.columns() + " pixels");
        }
    }

    /**
     * Refuses a stream that ends early or whose structure is broken ({@link JpegIntegrity}):
     * decoders would fill the missing part with grey and carry on.
     */
    static void checkComplete(Path file, byte[] jpeg) throws DicomException {
        java.util.Optional<String> problem = JpegIntegrity.problem(jpeg);
        if (problem.isPresent()) {
            throw new DicomException(file, problem.get());
        }
    }

    /** {rows, columns} from the first SOF0/SOF1 segment, or null when there is none before the scan. */
    static int[] sofSize(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return null;
        }
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if (marker == 0xDA || len < 2) {
                return null;
            }
            if ((marker == 0xC0 || marker == 0xC1) && p + 9 <= b.length) {
                int rows = (b[p + 5] & 0xFF) << 8 | (b[p + 6] & 0xFF);
                int cols = (b[p + 7] & 0xFF) << 8 | (b[p + 8] & 0xFF);
                return new int[] {rows, cols};
            }
            p += 2 + len;
        }
        return null;
    }

    private static Object decode(Path file, byte[] jpeg, boolean raw) throws DicomException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new DicomException(file, "no ImageIO JPEG reader available");
        }
        Exception first = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            // A memory-backed stream: ImageIO's default may spill to temporary files.
            List<String> warnings = new ArrayList<>();
            // libjpeg reports a stream that ends early, or a corrupt Huffman code, as a warning
            // and fills the rest with grey: a warning means the pixels are not the file's.
            reader.addIIOReadWarningListener((source, warning) -> {
                if (JpegIntegrity.concernsPixels(warning)) {
                    warnings.add(warning);
                }
            });
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
                reader.setInput(in, true, true);
                Object img = raw ? (reader.canReadRaster() ? reader.readRaster(0, null) : null) : reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IOException("decoder warning: " + String.join("; ", warnings));
                }
                if (img != null) {
                    return img;
                }
            } catch (IOException | RuntimeException e) {
                // Decoders signal corrupt streams with all kinds of runtime exceptions; all mean "bad frame".
                if (first == null) {
                    first = e;
                }
            } finally {
                reader.dispose();
            }
        }
        throw new DicomException(file, "JPEG Baseline frame could not be decoded: "
                + (first == null ? "decoded to nothing" : first.getMessage() == null ? first.toString() : first.getMessage()), first);
    }

    /**
     * Sample values of the first frame, interleaved; grayscale keeps its band, colour becomes RGB.
     * DICOM's RGB means the components were not colour transformed (PS3.5 8.2.1), so without an
     * Adobe APP14 marker saying otherwise they are taken as stored, as pydicom does; ImageIO
     * would otherwise assume YCbCr for 3 components without JFIF/Adobe markers.
     */
    static double[] samples(Path file, byte[] jpeg, PixelInfo info) throws DicomException {
        checkFrameHeader(file, jpeg, info);
        if (info.samplesPerPixel() == 3 && info.photometric().equals("RGB") && !hasAdobeMarker(jpeg)) {
            Raster raster = decodeRaw(file, jpeg);
            if (raster.getNumBands() == 3) {
                checkSize(file, raster.getWidth(), raster.getHeight(), info);
                return raster.getPixels(raster.getMinX(), raster.getMinY(), raster.getWidth(), raster.getHeight(),
                        new double[raster.getWidth() * raster.getHeight() * 3]);
            }
        }
        return samples(file, decodeImage(file, jpeg), info);
    }

    private static void checkSize(Path file, int width, int height, PixelInfo info) throws DicomException {
        if (height != info.rows() || width != info.columns()) {
            throw new DicomException(file, "JPEG frame is " + width + " x " + height
                    + " but the header says " + info.columns() + " x " + info.rows());
        }
    }

    /** Whether the stream has an Adobe APP14 segment before its first scan. */
    static boolean hasAdobeMarker(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
            int marker = b[p + 1] & 0xFF;
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if (marker == 0xDA || len < 2) {
                return false;
            }
            if (marker == 0xEE && p + 9 <= b.length && b[p + 4] == 'A' && b[p + 5] == 'd' && b[p + 6] == 'o'
                    && b[p + 7] == 'b' && b[p + 8] == 'e') {
                return true;
            }
            p += 2 + len;
        }
        return false;
    }

    /** Sample values of a decoded image, interleaved; grayscale keeps its band, colour becomes RGB. */
    static double[] samples(Path file, BufferedImage img, PixelInfo info) throws DicomException {
        checkSize(file, img.getWidth(), img.getHeight(), info);
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        if (bands == 1) {
            if (info.samplesPerPixel() != 1) {
                throw new DicomException(file, "JPEG frame has 1 component but SamplesPerPixel is " + info.samplesPerPixel());
            }
            double[] out = new double[w * h];
            return raster.getPixels(0, 0, w, h, out);
        }
        if (info.samplesPerPixel() != 3) {
            throw new DicomException(file, "JPEG frame has " + bands + " components but SamplesPerPixel is " + info.samplesPerPixel());
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        double[] out = new double[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            out[3 * i] = argb[i] >> 16 & 0xFF;
            out[3 * i + 1] = argb[i] >> 8 & 0xFF;
            out[3 * i + 2] = argb[i] & 0xFF;
        }
        return out;
    }
}
