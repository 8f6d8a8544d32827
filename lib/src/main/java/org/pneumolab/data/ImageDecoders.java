package org.pneumolab.data;

import org.pneumolab.image.GrayImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The decoders the pipeline uses: JPEG/PNG through ImageIO, DICOM through {@code dicom.DicomImages}. */
public final class ImageDecoders {
    private ImageDecoders() {
    }

    /** Picks the decoder by file extension: {@code .dcm} is DICOM, anything else goes to ImageIO. */
    public static ImageDecoder standard() {
        return file -> isDicom(file) ? dicom(file) : imageIo(file);
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
     * DICOM via {@code org.pneumolab.dicom.DicomImages.readGray8(Path)} (modality rescale,
     * windowing, MONOCHROME1 inverted). That class comes from the dicom package, built on its own
     * branch; it is looked up at run time so this package builds before the two are merged, and
     * a build without it says so instead of failing obscurely.
     */
    public static GrayImage dicom(Path file) throws IOException {
        MethodHandle read = DicomBridge.READ_GRAY8;
        if (read == null) {
            throw new IOException(file + ": cannot decode DICOM: org.pneumolab.dicom.DicomImages.readGray8"
                    + " is not in this build (the dicom package is missing)");
        }
        try {
            return GrayImage.from((BufferedImage) read.invoke(file));
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(file + ": cannot decode DICOM: " + e, e);
        }
    }

    private static final class DicomBridge {
        static final MethodHandle READ_GRAY8 = find();

        private static MethodHandle find() {
            try {
                Class<?> c = Class.forName("org.pneumolab.dicom.DicomImages");
                return MethodHandles.publicLookup().findStatic(c, "readGray8",
                        MethodType.methodType(BufferedImage.class, Path.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }
}
