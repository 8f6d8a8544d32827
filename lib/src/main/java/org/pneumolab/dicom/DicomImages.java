package org.pneumolab.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;

import org.pneumolab.io.PixelBudget;

/**
 * Display-ready 8-bit grayscale images from DICOM files: modality rescale, then the file's
 * window (center/width) if it has one; unsigned 8-bit grey without rescale as stored; else the
 * frame's min..max; MONOCHROME1 inverted so
 * that bone is bright; colour reduced to luminance.
 */
public final class DicomImages {
    private DicomImages() {
    }

    /** The first frame of a file as a {@code TYPE_BYTE_GRAY} image. */
    public static BufferedImage readGray8(Path path) throws IOException {
        return toGray8(DicomReader.read(path));
    }

    /** The first frame of an already parsed file as a {@code TYPE_BYTE_GRAY} image. */
    public static BufferedImage toGray8(DicomFile file) throws DicomException {
        PixelInfo info = file.pixelInfo();
        file.checkBudget(info);
        try {
            return decodeGray8(file, info);
        } catch (OutOfMemoryError e) {
            throw new DicomException(file.path(), PixelBudget.outOfMemory(info.rows(), info.columns()));
        }
    }

    private static BufferedImage decodeGray8(DicomFile file, PixelInfo info) throws DicomException {
        if (file.transferSyntax().uid().equals(TransferSyntax.JPEG_BASELINE_UID) && info.samplesPerPixel() == 1) {
            return jpegGray8(file, info);
        }
        Frame frame = file.firstFrame();
        double[] gray = frame.samples() == 1 ? frame.values() : luminance(frame.values());
        DisplayMapping mapping;
        if (frame.samples() == 3) {
            mapping = info.bitsStored() <= 8 ? DisplayMapping.identity8() : DisplayMapping.minMax(gray);
        } else {
            mapping = info.hasWindow() ? DisplayMapping.window(info.windowCenter(), info.windowWidth())
                    : storedIsDisplay(info) ? DisplayMapping.identity8() : DisplayMapping.minMax(gray);
        }
        boolean invert = frame.samples() == 1 && frame.photometric().equals("MONOCHROME1");
        BufferedImage img = new BufferedImage(frame.columns(), frame.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < gray.length; i++) {
            int v = mapping.apply(gray[i]);
            out[i] = (byte) (invert ? 255 - v : v);
        }
        return img;
    }

    /**
     * JPEG Baseline grayscale without the detour through doubles: the decoder's bytes are mapped
     * with a 256-entry table built from the same rescale and window rules (the common RSNA case).
     */
    private static BufferedImage jpegGray8(DicomFile file, PixelInfo info) throws DicomException {
        byte[] jpeg = file.encapsulatedFirstFrame();
        JpegBaselineDecoder.checkFrameHeader(file.path(), jpeg, info);
        BufferedImage decoded = JpegBaselineDecoder.decodeImage(file.path(), jpeg);
        if (decoded.getWidth() != info.columns() || decoded.getHeight() != info.rows()
                || decoded.getRaster().getNumBands() != 1
                || !(decoded.getRaster().getDataBuffer() instanceof DataBufferByte)) {
            return generalPath(file);
        }
        BufferedImage img = decoded.getType() == BufferedImage.TYPE_BYTE_GRAY ? decoded
                : copyToGray(decoded);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (data.length != info.rows() * info.columns()) {
            return generalPath(file);
        }
        boolean[] present = new boolean[256];
        for (byte b : data) {
            present[b & 0xFF] = true;
        }
        double[] modality = new double[256];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < 256; v++) {
            modality[v] = v * info.rescaleSlope() + info.rescaleIntercept();
            if (present[v]) {
                min = Math.min(min, modality[v]);
                max = Math.max(max, modality[v]);
            }
        }
        DisplayMapping mapping = info.hasWindow() ? DisplayMapping.window(info.windowCenter(), info.windowWidth())
                : storedIsDisplay(info) ? DisplayMapping.identity8() : new DisplayMapping.MinMax(min, max);
        boolean invert = info.photometric().equals("MONOCHROME1");
        byte[] lut = new byte[256];
        for (int v = 0; v < 256; v++) {
            int y = mapping.apply(modality[v]);
            lut[v] = (byte) (invert ? 255 - y : y);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = lut[data[i] & 0xFF];
        }
        return img;
    }

    private static BufferedImage generalPath(DicomFile file) throws DicomException {
        Frame frame = file.firstFrame();
        PixelInfo info = file.pixelInfo();
        DisplayMapping mapping = info.hasWindow() ? DisplayMapping.window(info.windowCenter(), info.windowWidth())
                : storedIsDisplay(info) ? DisplayMapping.identity8() : DisplayMapping.minMax(frame.values());
        BufferedImage img = new BufferedImage(frame.columns(), frame.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        boolean invert = frame.photometric().equals("MONOCHROME1");
        double[] v = frame.values();
        for (int i = 0; i < out.length; i++) {
            int y = mapping.apply(v[i]);
            out[i] = (byte) (invert ? 255 - y : y);
        }
        return img;
    }

    /**
     * Unsigned 8-bit grey with no rescale and no window (RSNA's files, img2dcm's output): the stored
     * values already are display values. Stretching each image to its own min..max would make the
     * same file look different here than in every other viewer, and give models per-image inputs.
     */
    private static boolean storedIsDisplay(PixelInfo info) {
        return info.bitsStored() <= 8 && !info.signed()
                && info.rescaleSlope() == 1.0 && info.rescaleIntercept() == 0.0;
    }

    private static BufferedImage copyToGray(BufferedImage src) {
        BufferedImage img = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setRect(src.getRaster());
        return img;
    }

    /** ITU-R BT.601 luma, the usual gray of an RGB image. */
    static double[] luminance(double[] rgb) {
        double[] y = new double[rgb.length / 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
        }
        return y;
    }
}
