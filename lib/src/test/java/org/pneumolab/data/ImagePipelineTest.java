package org.pneumolab.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.GrayImage;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePipelineTest {

    @Test
    void imagenetNchwAndNhwcHoldTheSameNormalisedValues(@TempDir Path dir) throws IOException {
        Path f = Fixtures.png(dir.resolve("a.png"), 20, 20, 0, 0, 20, 20); // all 250
        PipelineSpec nchw = PipelineSpec.classification(8);
        ImagePipeline p = new ImagePipeline(nchw, ImageDecoders.standard(), null);
        INDArray x = p.toTensor(List.of(p.prepare(f).image()));
        assertArrayEquals(new long[]{1, 3, 8, 8}, x.shape());
        for (int c = 0; c < 3; c++) {
            double expected = (250 / 255.0 - new double[]{0.485, 0.456, 0.406}[c]) / new double[]{0.229, 0.224, 0.225}[c];
            assertEquals(expected, x.getDouble(0, c, 3, 5), 1e-5);
        }
        ImagePipeline q = new ImagePipeline(nchw.withLayout(Layout.NHWC), ImageDecoders.standard(), null);
        INDArray y = q.toTensor(List.of(q.prepare(f).image()));
        assertArrayEquals(new long[]{1, 8, 8, 3}, y.shape());
        assertEquals(x.getDouble(0, 2, 3, 5), y.getDouble(0, 3, 5, 2), 1e-6);
        ImagePipeline unit = new ImagePipeline(nchw.withNormalization(Normalization.UNIT).withChannels(1),
                ImageDecoders.standard(), null);
        assertEquals(250 / 255.0, unit.toTensor(List.of(unit.prepare(f).image())).getDouble(0, 0, 0, 0), 1e-6);
    }

    @Test
    void threeChannelJpegIsReadAsGrey(@TempDir Path dir) throws IOException {
        Path f = Fixtures.rgbJpeg(dir.resolve("rgb.jpeg"), 16, 16, 0x808080);
        GrayImage g = ImageDecoders.standard().decode(f);
        assertEquals(128, g.get(8, 8), 3); // JPEG is lossy
    }

    @Test
    void boxesFollowThePaddedResize(@TempDir Path dir) throws IOException {
        Path f = Fixtures.png(dir.resolve("wide.png"), 200, 100, 50, 40, 40, 20);
        PipelineSpec spec = new PipelineSpec(100, 100, Interpolation.AREA, true, Normalization.UNIT, 1, Layout.NCHW);
        ImagePipeline p = new ImagePipeline(spec, ImageDecoders.standard(), null);
        LoadedImage a = p.load(f, List.of(Box.fromXywh(50, 40, 40, 20)), AugmentSpec.none(), new Random(0));
        assertEquals(List.of(new Box(25, 45, 45, 55)), a.boxes());
        assertEquals(250, a.image().get(35, 50), 1e-3);
        assertEquals(0, a.image().get(35, 10), 1e-3); // padding
    }

    @Test
    void badFilesNameTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.jpeg"), "not a jpeg");
        IOException e = assertThrows(IOException.class, () -> ImageDecoders.standard().decode(junk));
        assertTrue(e.getMessage().startsWith(junk.toString()) && e.getMessage().contains("not an image"), e.getMessage());
        Path badDicom = Files.writeString(dir.resolve("x.dcm"), "not a dicom");
        IOException d = assertThrows(IOException.class, () -> ImageDecoders.standard().decode(badDicom));
        assertTrue(d.getMessage().contains("x.dcm"), d.getMessage());
    }

    /** pydicom's display values of the first frame (modality LUT, then VOI LUT), rounded, row by row. */
    private static int[] pydicomDisplay(Path dcm, Path dir) throws Exception {
        Path script = dir.resolve("display.py");
        Files.writeString(script, String.join("\n",
                "import sys, pydicom, numpy as np",
                "from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut",
                "ds = pydicom.dcmread(sys.argv[1])",
                "a = apply_voi_lut(apply_modality_lut(ds.pixel_array, ds), ds)",
                "print(' '.join(str(int(round(float(v)))) for v in np.asarray(a).ravel()))", ""));
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), dcm.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0,
                "pydicom (python3-pydicom, installed by bin/pneumo test) failed: " + out);
        return java.util.Arrays.stream(out.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void dicomFromImg2dcmDecodesLikeItsJpeg(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Fixtures.hasImg2dcm(), "dcmtk's img2dcm is not installed");
        Path jpeg = dir.resolve("chest.jpg");
        GrayImage src = GrayImage.blank(64, 48);
        for (int y = 10; y < 30; y++) {
            for (int x = 20; x < 40; x++) {
                src.set(x, y, 220);
            }
        }
        javax.imageio.ImageIO.write(src.toBufferedImage(), "jpeg", jpeg.toFile());
        Path dcm = Fixtures.dicomFromJpeg(jpeg, dir.resolve("patient-1.dcm"));
        GrayImage fromDicom = ImageDecoders.standard().decode(dcm);
        GrayImage fromJpeg = ImageDecoders.standard().decode(jpeg);
        assertEquals(64, fromDicom.width());
        assertEquals(48, fromDicom.height());
        // Both routes give the grey levels pydicom's display transform gives for the same file
        // (modality LUT, then VOI LUT / window; for img2dcm's 8-bit output both are the identity),
        // within 1 grey level (two JPEG decoders' rounding), pixel by pixel.
        int[] pydicom = pydicomDisplay(dcm, dir);
        assertEquals(64 * 48, pydicom.length);
        int worstDicom = 0;
        int worstJpeg = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int want = pydicom[y * 64 + x];
                worstDicom = Math.max(worstDicom, (int) Math.abs(Math.round(fromDicom.get(x, y)) - want));
                worstJpeg = Math.max(worstJpeg, (int) Math.abs(Math.round(fromJpeg.get(x, y)) - want));
            }
        }
        assertTrue(worstDicom <= 1 && worstJpeg <= 1, "largest difference from pydicom's display values: DICOM route "
                + worstDicom + ", ImageIO route " + worstJpeg + " (block: pydicom " + pydicom[20 * 64 + 30] + ", DICOM "
                + fromDicom.get(30, 20) + ", ImageIO " + fromJpeg.get(30, 20) + ")");
        assertTrue(fromJpeg.get(30, 20) > 200, "block " + fromJpeg.get(30, 20));
        assertTrue(fromDicom.get(5, 40) < 30, "background " + fromDicom.get(5, 40));
        assertTrue(fromDicom.get(45, 20) < 30, "right of the block " + fromDicom.get(45, 20));
    }
}
