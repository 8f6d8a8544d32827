package org.pneumolab.dicom;

import java.nio.file.Path;
import java.util.Optional;

import org.pneumolab.io.PixelBudget;

/**
 * A parsed DICOM Part 10 file: its transfer syntax, file meta group, attributes and (unless it
 * was read header-only) pixel data. Attributes are read with {@link #attributes()} by tag or
 * keyword; {@link #firstFrame()} decodes the first frame's pixels after the modality rescale.
 */
public final class DicomFile {
    private final Path path;
    private final TransferSyntax transferSyntax;
    private final DicomDataset meta;
    private final DicomDataset attributes;
    private final boolean headerOnly;

    DicomFile(Path path, TransferSyntax transferSyntax, DicomDataset meta, DicomDataset attributes, boolean headerOnly) {
        this.path = path;
        this.transferSyntax = transferSyntax;
        this.meta = meta;
        this.attributes = attributes;
        this.headerOnly = headerOnly;
    }

    public Path path() {
        return path;
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** The file meta group (0002,xxxx); empty for files without one. */
    public DicomDataset meta() {
        return meta;
    }

    /** The data set: every attribute after the meta group. */
    public DicomDataset attributes() {
        return attributes;
    }

    /** Shortcut for {@code attributes().string(keyword)}. */
    public Optional<String> string(String keyword) {
        return attributes.string(keyword);
    }

    /** Whether this file was read with {@link DicomReader#readHeader} (pixel data not loaded). */
    public boolean headerOnly() {
        return headerOnly;
    }

    /** Whether the file has pixel data (for header-only reads: whether the parse stopped at it). */
    public boolean hasPixelData() {
        return attributes.contains(DicomParser.PIXEL_DATA);
    }

    /** The Image Pixel attributes; a DicomException when they are missing or impossible. */
    public PixelInfo pixelInfo() throws DicomException {
        return PixelInfo.of(path, attributes);
    }

    /** Whether the pixel data is encapsulated (compressed, in fragments). */
    public boolean isEncapsulated() {
        return attributes.element(DicomParser.PIXEL_DATA).map(DicomElement::isEncapsulated).orElse(false);
    }

    /**
     * The compressed bytes of the first frame (e.g. the whole JPEG stream), for plugging in
     * another decoder. A DicomException if the pixel data is native or missing.
     */
    public byte[] encapsulatedFirstFrame() throws DicomException {
        DicomElement pixels = pixelData();
        if (!pixels.isEncapsulated()) {
            throw new DicomException(path, "pixel data is native (" + transferSyntax.describe() + "), not encapsulated");
        }
        return EncapsulatedFrames.firstFrame(path, pixels, pixelInfo().numberOfFrames(),
                transferSyntax.uid().startsWith("1.2.840.10008.1.2.4."));
    }

    /**
     * The first frame's values after the modality rescale (grayscale) or as RGB (colour).
     * Unsupported transfer syntaxes are a DicomException naming the syntax's UID and name.
     */
    public Frame firstFrame() throws DicomException {
        DicomElement pixels = pixelData();
        PixelInfo info = pixelInfo();
        checkBudget(info);
        try {
            return decodeFirstFrame(pixels, info);
        } catch (OutOfMemoryError e) {
            throw new DicomException(path, PixelBudget.outOfMemory(info.rows(), info.columns()));
        }
    }

    /**
     * Refuses an image above the {@link PixelBudget} from its header, before a decoder allocates
     * for it.
     */
    void checkBudget(PixelInfo info) throws DicomException {
        String refusal = PixelBudget.refusal(info.rows(), info.columns(), info.samplesPerPixel());
        if (refusal != null) {
            throw new DicomException(path, refusal);
        }
    }

    private Frame decodeFirstFrame(DicomElement pixels, PixelInfo info) throws DicomException {
        double[] values;
        String photometric = info.photometric();
        if (!transferSyntax.encapsulated()) {
            values = NativePixels.firstFrame(path, pixels, info, transferSyntax.bigEndian());
        } else if (transferSyntax.uid().equals(TransferSyntax.RLE_LOSSLESS_UID)) {
            values = RleDecoder.decode(path, encapsulatedFirstFrame(), info);
        } else if (transferSyntax.uid().equals(TransferSyntax.JPEG_BASELINE_UID)) {
            values = JpegBaselineDecoder.samples(path, encapsulatedFirstFrame(), info);
            if (info.samplesPerPixel() == 3) {
                photometric = "RGB"; // ImageIO already converted YCbCr
            }
        } else {
            throw unsupported();
        }
        if (info.samplesPerPixel() == 3 && photometric.startsWith("YBR_FULL")) {
            StoredValues.ybrFullToRgb(values, info.bitsStored());
            photometric = "RGB";
        }
        StoredValues.rescale(values, info);
        return new Frame(info.rows(), info.columns(), info.samplesPerPixel(), values, photometric);
    }

    DicomException unsupported() {
        return new DicomException(path, "pixel data in transfer syntax " + transferSyntax.describe()
                + " is not supported (native, JPEG Baseline 1.2.840.10008.1.2.4.50 and RLE Lossless 1.2.840.10008.1.2.5 are)");
    }

    DicomElement pixelData() throws DicomException {
        if (headerOnly) {
            throw new IllegalStateException(path + " was read header-only; use DicomReader.read for pixels");
        }
        return attributes.element(DicomParser.PIXEL_DATA)
                .orElseThrow(() -> new DicomException(path, "no pixel data (7FE0,0010)"));
    }

    @Override
    public String toString() {
        return "DicomFile[" + path + ", " + transferSyntax.describe() + ", " + attributes.elements().size() + " attributes]";
    }
}
