package org.pneumolab.data;

import org.pneumolab.image.GrayImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Small image files for pipeline tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A grey image with a bright block, written as PNG (lossless, so pixel checks are exact). */
    static Path png(Path file, int w, int h, int bx, int by, int bw, int bh) throws IOException {
        GrayImage img = GrayImage.blank(w, h);
        for (int y = by; y < by + bh; y++) {
            for (int x = bx; x < bx + bw; x++) {
                img.set(x, y, 250);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img.toBufferedImage(), "png", file.toFile());
        return file;
    }

    /** A 3-channel JPEG, as some Kermany files are. */
    static Path rgbJpeg(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "jpeg", file.toFile());
        return file;
    }

    /** Wraps a JPEG into a DICOM file with dcmtk's img2dcm (as the brief's fixtures do). */
    static Path dicomFromJpeg(Path jpeg, Path dcm) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("img2dcm", jpeg.toString(), dcm.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("img2dcm failed: " + out);
        }
        return dcm;
    }

    static boolean hasImg2dcm() {
        return Files.isExecutable(Path.of("/usr/bin/img2dcm"));
    }
}
