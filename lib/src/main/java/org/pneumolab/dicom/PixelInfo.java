package org.pneumolab.dicom;

import java.nio.file.Path;

/**
 * The Image Pixel module of a file: what the pixel data bytes mean.
 *
 * @param rows                rows of a frame
 * @param columns             columns of a frame
 * @param samplesPerPixel     1 (grayscale) or 3 (colour)
 * @param bitsAllocated       1, 8, 16 or 32 bits per stored sample
 * @param bitsStored          significant bits of a sample
 * @param signed              Pixel Representation 1 (two's complement)
 * @param photometric         MONOCHROME1, MONOCHROME2, RGB, YBR_FULL, ...
 * @param planar              Planar Configuration 1: colour planes one after another
 * @param numberOfFrames      frames in the pixel data (1 when absent)
 * @param rescaleSlope        modality LUT slope (1 when absent)
 * @param rescaleIntercept    modality LUT intercept (0 when absent)
 * @param windowCenter        first Window Center, NaN when absent
 * @param windowWidth         first Window Width, NaN when absent
 */
public record PixelInfo(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                        boolean signed, String photometric, boolean planar, int numberOfFrames,
                        double rescaleSlope, double rescaleIntercept, double windowCenter, double windowWidth) {

    /** Reads and checks the Image Pixel attributes; missing or impossible values are a DicomException. */
    public static PixelInfo of(Path file, DicomDataset ds) throws DicomException {
        int rows = required(file, ds, "Rows");
        int columns = required(file, ds, "Columns");
        int bitsAllocated = required(file, ds, "BitsAllocated");
        int samples = ds.integer("SamplesPerPixel").orElse(1);
        int bitsStored = ds.integer("BitsStored").orElse(bitsAllocated);
        int pixelRepresentation = ds.integer("PixelRepresentation").orElse(0);
        String photometric = ds.string("PhotometricInterpretation").orElse(samples == 1 ? "MONOCHROME2" : "RGB").trim();
        int planar = ds.integer("PlanarConfiguration").orElse(0);
        int frames = ds.integer("NumberOfFrames").orElse(1);
        if (rows < 1 || rows > 65535 || columns < 1 || columns > 65535) {
            throw new DicomException(file, "impossible image size " + rows + " x " + columns);
        }
        if (samples != 1 && samples != 3) {
            throw new DicomException(file, "SamplesPerPixel " + samples + " is not supported (1 or 3)");
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new DicomException(file, "BitsAllocated " + bitsAllocated + " is not supported (1, 8, 16 or 32)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomException(file, "BitsStored " + bitsStored + " does not fit BitsAllocated " + bitsAllocated);
        }
        if (frames < 1) {
            frames = 1; // "0" or garbage in an optional attribute: the data holds at least the first frame
        }
        double slope = ds.number("RescaleSlope").orElse(1.0);
        double intercept = ds.number("RescaleIntercept").orElse(0.0);
        double center = ds.number("WindowCenter").orElse(Double.NaN);
        double width = ds.number("WindowWidth").orElse(Double.NaN);
        return new PixelInfo(rows, columns, samples, bitsAllocated, bitsStored, pixelRepresentation == 1,
                photometric, planar == 1, frames, slope, intercept, center, width);
    }

    private static int required(Path file, DicomDataset ds, String keyword) throws DicomException {
        return ds.integer(keyword).orElseThrow(() -> new DicomException(file, "pixel data without a valid " + keyword));
    }

    public boolean hasWindow() {
        return !Double.isNaN(windowCenter) && !Double.isNaN(windowWidth) && windowWidth >= 1;
    }

    public boolean hasRescale() {
        return rescaleSlope != 1.0 || rescaleIntercept != 0.0;
    }

    public long pixelsPerFrame() {
        return (long) rows * columns;
    }

    /** Bytes one native (uncompressed) frame takes. */
    public long nativeFrameBytes() {
        long bits = pixelsPerFrame() * samplesPerPixel * bitsAllocated;
        return (bits + 7) / 8;
    }
}
