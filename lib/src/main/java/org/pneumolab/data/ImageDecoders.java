package org.pneumolab.data;

import org.pneumolab.dicom.DicomImages;
import org.pneumolab.image.GrayImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.pneumolab.io.JpegIntegrity;
import org.pneumolab.io.PixelBudget;

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

    /**
     * JPEG, PNG, BMP via ImageIO, reduced to grey (some Kermany JPEGs have 3 channels). Refused,
     * naming the file: a JPEG that ends early ({@link JpegIntegrity}), a decoder warning, a size
     * above the {@link PixelBudget} (read from the header, before decoding), running out of memory.
     */
    public static GrayImage imageIo(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": file not found");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
            Optional<String> problem = JpegIntegrity.problem(bytes);
            if (problem.isPresent()) {
                throw new IOException(file + ": " + problem.get());
            }
        }
        BufferedImage img = null;
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    String refusal = PixelBudget.refusal(reader.getHeight(0), reader.getWidth(0), 1);
                    if (refusal != null) {
                        throw new IOException(file + ": " + refusal);
                    }
                    reader.addIIOReadWarningListener((src, warning) -> {
                        if (JpegIntegrity.concernsPixels(warning)) {
                            warnings.add(warning);
                        }
                    });
                    img = reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (OutOfMemoryError e) {
            throw new IOException(file + ": out of memory decoding the image (heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); skipped");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": cannot decode image: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (!warnings.isEmpty()) {
            throw new IOException(file + ": decoder warning (damaged image): " + String.join("; ", warnings));
        }
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can read (unknown format, "
                    + bytes.length + " bytes)");
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
