package org.pneumolab.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * JPEG Baseline frames through ImageIO (the JDK's reader, or TwelveMonkeys' when it is on the
 * class path, which handles more of the JPEG variants DICOM writers produce). Colour comes back
 * as RGB whatever the JPEG's internal colour space was.
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
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new DicomException(file, "no ImageIO JPEG reader available");
        }
        Exception first = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            // A memory-backed stream: ImageIO's default may spill to temporary files.
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
                reader.setInput(in, true, true);
                BufferedImage img = reader.read(0);
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
                + (first == null ? "decoded to nothing" : first.toString()), first);
    }

    /** Sample values of a decoded image, interleaved; grayscale keeps its band, colour becomes RGB. */
    static double[] samples(Path file, BufferedImage img, PixelInfo info) throws DicomException {
        if (img.getHeight() != info.rows() || img.getWidth() != info.columns()) {
            throw new DicomException(file, "JPEG frame is " + img.getWidth() + " x " + img.getHeight()
                    + " but the header says " + info.columns() + " x " + info.rows());
        }
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
