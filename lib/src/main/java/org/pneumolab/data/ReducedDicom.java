package org.pneumolab.data;

import java.io.IOException;
import java.nio.file.Path;

import org.pneumolab.dicom.DicomException;
import org.pneumolab.dicom.DicomFile;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.dicom.PixelInfo;
import org.pneumolab.dicom.TransferSyntax;
import org.pneumolab.image.GrayImage;
import org.pneumolab.image.ReducedJpeg;
import org.pneumolab.io.PixelBudget;

/**
 * DICOM decode straight to about the size the pipeline needs: for a JPEG Baseline grey file
 * whose stored values are already display values (RSNA's files: 8-bit MONOCHROME2, no rescale,
 * no window), the frame's JPEG stream goes to {@link ReducedJpeg}, which skips most of the inverse
 * DCT by decoding at 1/2, 1/4 or 1/8 size. A 1024 px film bound for 224 px is decoded at 256 px,
 * about twice as fast as the full decode plus resize (docs/PERF.md). Everything else (other
 * syntaxes, windows, rescales, MONOCHROME1, sizes the reduction does not divide exactly, or a
 * target too large for any reduction) takes the full {@link DicomImages#toGray8} path, so the
 * display rules stay in one place.
 */
public final class ReducedDicom {

    /** The decoded pixels and the full image size they stand for (boxes are in full-size pixels). */
    public record Decoded(GrayImage image, int fullWidth, int fullHeight, int scale) {
    }

    private ReducedDicom() {
    }

    /** The first frame, reduced by the coarsest DCT scale that still leaves {@code minWidth x minHeight}. */
    public static Decoded decode(DicomFile file, int minWidth, int minHeight) throws IOException {
        PixelInfo info = file.pixelInfo();
        String refusal = PixelBudget.refusal(info.rows(), info.columns(), info.samplesPerPixel());
        if (refusal != null) {
            throw new DicomException(file.path(), refusal);
        }
        try {
            return decode(file, info, minWidth, minHeight);
        } catch (OutOfMemoryError e) {
            throw new DicomException(file.path(), PixelBudget.outOfMemory(info.rows(), info.columns()));
        }
    }

    private static Decoded decode(DicomFile file, PixelInfo info, int minWidth, int minHeight) throws IOException {
        int scale = reducible(file, info) ? exactScale(info.columns(), info.rows(), minWidth, minHeight) : 1;
        if (scale == 1) {
            return new Decoded(GrayImage.from(DicomImages.toGray8(file)), info.columns(), info.rows(), 1);
        }
        byte[] jpeg = file.encapsulatedFirstFrame();
        ReducedJpeg.Decoded d = ReducedJpeg.decodeGray(jpeg, minWidth, minHeight, file.path().toString());
        int w = d.image().getWidth();
        int h = d.image().getHeight();
        if (w * d.scale() != info.columns() || h * d.scale() != info.rows()) {
            // The JPEG stream disagrees with Rows/Columns (or ImageIO's fallback decoded at full
            // size): the full path checks the frame header and reports the problem.
            return new Decoded(GrayImage.from(DicomImages.toGray8(file)), info.columns(), info.rows(), 1);
        }
        return new Decoded(GrayImage.from(d.image()), info.columns(), info.rows(), d.scale());
    }

    /** Reads {@code path} and decodes as {@link #decode(DicomFile, int, int)}. */
    public static Decoded decode(Path path, int minWidth, int minHeight) throws IOException {
        return decode(org.pneumolab.dicom.DicomReader.read(path), minWidth, minHeight);
    }

    /** Whether the stored JPEG samples are the display values, so no mapping is needed. */
    static boolean reducible(DicomFile file, PixelInfo info) throws DicomException {
        return file.transferSyntax().uid().equals(TransferSyntax.JPEG_BASELINE_UID)
                && info.samplesPerPixel() == 1 && "MONOCHROME2".equals(info.photometric())
                && info.bitsStored() <= 8 && !info.signed() && !info.hasWindow()
                && info.rescaleSlope() == 1.0 && info.rescaleIntercept() == 0.0
                && info.numberOfFrames() == 1;
    }

    /**
     * The DCT scale {@link ReducedJpeg} will pick, when it divides both sides exactly (so reduced
     * pixels map onto full-size pixels without rounding); else 1.
     */
    static int exactScale(int width, int height, int minWidth, int minHeight) {
        int s = ReducedJpeg.scaleFor(width, height, minWidth, minHeight);
        return s > 1 && width % s == 0 && height % s == 0 && ReducedJpeg.openCvAvailable() ? s : 1;
    }
}
