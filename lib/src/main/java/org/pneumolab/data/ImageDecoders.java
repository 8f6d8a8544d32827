package org.pneumolab.data;

import org.pneumolab.dicom.DicomImages;
import org.pneumolab.image.GrayImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The decoders the pipeline uses: JPEG/PNG through ImageIO, DICOM through {@code dicom.DicomImages}. */
public final class ImageDecoders {
    private ImageDecoders() {
    }

    /**
     * Picks the decoder by file extension: {@code .dcm} is DICOM, anything else goes to ImageIO.
     * When the pipeline says how small the image may be, DICOM files that allow it are decoded
     * reduced ({@link ReducedDicom}).
     */
    public static ImageDecoder standard() {
        return new ImageDecoder() {
            @Override
            public GrayImage decode(Path file) throws IOException {
                return isDicom(file) ? dicom(file) : imageIo(file);
            }

            @Override
            public ReducedDicom.Decoded decodeAtLeast(Path file, int minWidth, int minHeight) throws IOException {
                return isDicom(file) ? dicomAtLeast(file, minWidth, minHeight)
                        : ImageDecoder.super.decodeAtLeast(file, minWidth, minHeight);
            }

            @Override
            public String cacheTag(Path file) {
                return isDicom(file) ? "/dicom-dct" : "";
            }
        };
    }

    /** DICOM decoded at the coarsest exact DCT reduction that keeps {@code minWidth x minHeight}. */
    public static ReducedDicom.Decoded dicomAtLeast(Path file, int minWidth, int minHeight) throws IOException {
        try {
            return ReducedDicom.decode(file, minWidth, minHeight);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot decode DICOM: " + e, e);
        }
    }

    static boolean isDicom(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm");
    }

    /** JPEG, PNG, BMP via ImageIO, reduced to grey (some Kermany JPEGs have 3 channels). */
    public static GrayImage imageIo(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": file not found");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can read (unknown format, "
                    + Files.size(file) + " bytes)");
        }
        return GrayImage.from(img);
    }

    /**
     * DICOM via {@link DicomImages#readGray8} (modality rescale, windowing, MONOCHROME1
     * inverted); its {@code DicomException} already names the file and the problem.
     */
    public static GrayImage dicom(Path file) throws IOException {
        try {
            return GrayImage.from(DicomImages.readGray8(file));
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot decode DICOM: " + e, e);
        }
    }
}
