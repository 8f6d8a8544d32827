package org.pneumolab.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.pneumolab.io.JpegEntropyCheck;
import org.pneumolab.io.JpegIntegrity;
import org.pneumolab.io.PixelBudget;

/**
 * Decodes a JPEG to 8-bit gray at 1/1, 1/2, 1/4 or 1/8 of its size, straight from the DCT
 * coefficients (libjpeg's scaled IDCT, through OpenCV's {@code IMREAD_REDUCED_GRAYSCALE_n}): a
 * 1024x1024 radiograph bound for 224x224 is decoded at 256x256, skipping most of the inverse DCT,
 * upsampling and colour work. The scale is the coarsest that still leaves at least the target
 * size, so the final resize only ever shrinks. Works on bytes, so a DICOM reader can pass the
 * JPEG stream of an encapsulated frame. Falls back to a full ImageIO decode when OpenCV's native
 * library cannot load. Thread-safe.
 */
public final class ReducedJpeg {

    /** Which decoder produced an image. */
    public enum Decoder { OPENCV_REDUCED, IMAGEIO_FULL }

    /** A decoded image and how: {@code scale} is the DCT reduction (1, 2, 4 or 8). */
    public record Decoded(BufferedImage image, int scale, Decoder decoder) {
    }

    private ReducedJpeg() {
    }

    /** The coarsest DCT reduction of a {@code width x height} JPEG that keeps at least the target size. */
    public static int scaleFor(int width, int height, int minWidth, int minHeight) {
        for (int s = 8; s > 1; s /= 2) {
            if (ceilDiv(width, s) >= minWidth && ceilDiv(height, s) >= minHeight) {
                return s;
            }
        }
        return 1;
    }

    /** Whether the OpenCV decoder is usable in this JVM (its native library loads). */
    public static boolean openCvAvailable() {
        return OpenCv.AVAILABLE;
    }

    /**
     * Decodes {@code jpeg} to gray at the coarsest DCT scale that is still at least
     * {@code minWidth x minHeight} (a full-size decode when the fallback decoder is used).
     *
     * @param source names the input in error messages (file name, DICOM frame)
     */
    public static Decoded decodeGray(byte[] jpeg, int minWidth, int minHeight, String source) throws IOException {
        JpegHeader header = checkedHeader(jpeg, source, OpenCv.AVAILABLE);
        int scale = scaleFor(header.width(), header.height(), minWidth, minHeight);
        if (OpenCv.AVAILABLE) {
            try (Mat img = OpenCv.decode(jpeg, scale, source)) {
                return new Decoded(OpenCv.toGray(img), scale, Decoder.OPENCV_REDUCED);
            }
        }
        return new Decoded(imageIoGray(jpeg, source), 1, Decoder.IMAGEIO_FULL);
    }

    /**
     * Decodes {@code jpeg} reduced, then area-resizes it to exactly {@code width x height}
     * (aspect ratio not kept: pad first if it matters).
     */
    public static BufferedImage decodeGrayResized(byte[] jpeg, int width, int height, String source) throws IOException {
        JpegHeader header = checkedHeader(jpeg, source, OpenCv.AVAILABLE);
        int scale = scaleFor(header.width(), header.height(), width, height);
        if (OpenCv.AVAILABLE) {
            try (Mat img = OpenCv.decode(jpeg, scale, source); Mat small = new Mat(); Size size = new Size(width, height)) {
                resize(img, small, size, 0, 0, INTER_AREA);
                return OpenCv.toGray(small);
            }
        }
        return AreaResize.gray(imageIoGray(jpeg, source), width, height);
    }

    /**
     * The frame header, after checking that the stream is complete ({@link JpegIntegrity}) and
     * that its coded data holds every block ({@link JpegEntropyCheck}), and that its size is within
     * the {@link PixelBudget}. OpenCV's libjpeg fills a stream that ends early with grey and only
     * prints a warning, which never reaches us: the checks have to come first. The entropy walk
     * costs about a fifth to a third of a reduced decode, so it is skipped ({@code walk} false)
     * where ImageIO decodes, whose warnings are heard.
     */
    private static JpegHeader checkedHeader(byte[] jpeg, String source, boolean walk) throws IOException {
        Optional<String> problem = JpegIntegrity.problem(jpeg).or(() -> walk ? JpegEntropyCheck.problem(jpeg) : Optional.empty());
        if (problem.isPresent()) {
            throw new IOException(source + ": " + problem.get());
        }
        JpegHeader header = JpegHeader.parse(jpeg, source);
        String refusal = PixelBudget.refusal(header.height(), header.width(), 1);
        if (refusal != null) {
            throw new IOException(source + ": " + refusal);
        }
        return header;
    }

    /**
     * Full-size decode with ImageIO, converted to TYPE_BYTE_GRAY: the reference and the fallback.
     * A decoder warning (a stream that ends early, a corrupt Huffman code) is an error.
     */
    public static BufferedImage imageIoGray(byte[] jpeg, String source) throws IOException {
        checkedHeader(jpeg, source, false);
        BufferedImage img = null;
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.addIIOReadWarningListener((src, warning) -> {
                        if (JpegIntegrity.concernsPixels(warning)) {
                            warnings.add(warning);
                        }
                    });
                    reader.setInput(in, true, true);
                    img = reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(source + ": cannot decode JPEG: " + e.getMessage(), e);
        }
        if (!warnings.isEmpty()) {
            throw new IOException(source + ": JPEG decoder warning: " + String.join("; ", warnings));
        }
        if (img == null) {
            throw new IOException(source + ": not a decodable JPEG (no ImageIO reader accepted it)");
        }
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return img;
        }
        BufferedImage gray = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, img.getWidth(), img.getHeight(), GrayPixels.of(img));
        return gray;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** OpenCV access, isolated so a missing native library only disables this path. */
    private static final class OpenCv {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try {
                org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_imgcodecs.class);
                return true;
            } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: use ImageIO
                System.err.println("[pneumolab] OpenCV unavailable, JPEGs decode at full size with ImageIO: " + t);
                return false;
            }
        }

        static Mat decode(byte[] jpeg, int scale, String source) throws IOException {
            int flag = switch (scale) {
                case 8 -> IMREAD_REDUCED_GRAYSCALE_8;
                case 4 -> IMREAD_REDUCED_GRAYSCALE_4;
                case 2 -> IMREAD_REDUCED_GRAYSCALE_2;
                default -> IMREAD_GRAYSCALE;
            };
            try (BytePointer data = new BytePointer(jpeg); Mat buf = new Mat(1, jpeg.length, CV_8UC1, data)) {
                Mat img = imdecode(buf, flag);
                if (img == null || img.empty()) {
                    if (img != null) {
                        img.close();
                    }
                    throw new IOException(source + ": OpenCV could not decode the JPEG (corrupt or unsupported)");
                }
                return img;
            }
        }

        static BufferedImage toGray(Mat m) {
            int w = m.cols();
            int h = m.rows();
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            BytePointer data = m.data();
            long step = m.step();
            if (step == w) {
                data.get(px, 0, w * h);
            } else {
                for (int y = 0; y < h; y++) {
                    data.position(y * step).get(px, y * w, w);
                }
                data.position(0);
            }
            return out;
        }
    }
}
