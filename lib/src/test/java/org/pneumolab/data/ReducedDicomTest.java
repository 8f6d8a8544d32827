package org.pneumolab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.dicom.DicomImages;
import org.pneumolab.geom.Box;
import org.pneumolab.image.GrayImage;
import org.pneumolab.image.ReducedJpeg;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/** The pipeline's DCT-reduced DICOM decode against the full decode it replaces. */
class ReducedDicomTest {
    @TempDir
    static Path dir;
    static List<Path> films;

    @BeforeAll
    static void sample() throws IOException {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(11).withRsna(2).withKermany(0), dir);
        try (Stream<Path> s = Files.list(dir.resolve("rsna/stage_2_train_images"))) {
            films = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        assertEquals(2, films.size());
    }

    @Test
    void rsnaFilmsDecodeAtAQuarterAndMatchTheFullDecodeAfterResizing() throws IOException {
        Assumptions.assumeTrue(ReducedJpeg.openCvAvailable(), "OpenCV native library not loadable here");
        PipelineSpec spec = PipelineSpec.detection(224);
        ImagePipeline reduced = new ImagePipeline(spec, ImageDecoders.standard(), null);
        ImagePipeline full = new ImagePipeline(spec, ImageDecoders::dicom, null); // default: full decode
        for (Path f : films) {
            ReducedDicom.Decoded d = ImageDecoders.standard().decodeAtLeast(f, 224, 224);
            assertEquals(4, d.scale(), f.toString());
            assertEquals(256, d.image().width());
            assertEquals(1024, d.fullWidth());
            assertEquals(1024, d.fullHeight());

            PreparedImage a = reduced.prepare(f);
            PreparedImage b = full.prepare(f);
            assertEquals(b.geometry(), a.geometry(), "boxes must map the same way");
            Box box = Box.fromXywh(300, 200, 256, 400);
            assertEquals(b.geometry().toTarget(box), a.geometry().toTarget(box));
            float[] pa = a.image().pixels();
            float[] pb = b.image().pixels();
            assertEquals(pb.length, pa.length);
            double sum = 0;
            double worst = 0;
            for (int i = 0; i < pa.length; i++) {
                double diff = Math.abs(pa[i] - pb[i]);
                sum += diff;
                worst = Math.max(worst, diff);
            }
            double mean = sum / pa.length;
            // Measured on these films: mean 0.49-0.58 grey levels, worst pixel 8-15 (on sharp
            // edges, where the reduced IDCT and the area filter round differently).
            assertTrue(mean < 1.0, f + ": mean |reduced - full| = " + mean);
            assertTrue(worst < 30, f + ": max |reduced - full| = " + worst);
        }
    }

    @Test
    void fullAndReducedPixelsAreNeverMixedInOneTensorCache() throws IOException {
        PipelineSpec spec = PipelineSpec.detection(224);
        TensorCache cache = new TensorCache(dir.resolve("cache"), ProblemLog.quiet());
        ImagePipeline full = new ImagePipeline(spec, ImageDecoders::dicom, cache);
        ImagePipeline reduced = new ImagePipeline(spec, ImageDecoders.standard(), cache);
        Path f = films.get(1);
        full.prepare(f);
        reduced.prepare(f);
        reduced.prepare(f);
        assertEquals(1, full.decodes());
        assertEquals(1, reduced.decodes(), "the reduced pipeline decodes once, then reuses its own entry");
    }

    @Test
    void targetsTooLargeToReduceGiveExactlyTheFullDecode() throws IOException {
        Path f = films.get(0);
        ReducedDicom.Decoded d = ReducedDicom.decode(f, 600, 600); // 1024 / 2 < 600
        assertEquals(1, d.scale());
        assertEquals(GrayImage.from(DicomImages.readGray8(f)), d.image());
    }

    @Test
    void filesWhoseStoredValuesAreNotDisplayValuesTakeTheFullPath() throws IOException {
        Path rgb = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_jpeg_dcmtk.dcm");
        Assumptions.assumeTrue(Files.isRegularFile(rgb), "pydicom test corpus not installed");
        ReducedDicom.Decoded d = ReducedDicom.decode(rgb, 8, 8);
        assertEquals(1, d.scale(), "colour JPEG must not take the grey reduced path");
        assertArrayEquals(GrayImage.from(DicomImages.readGray8(rgb)).pixels(), d.image().pixels());
    }

    @Test
    void aBrokenFileIsAnIOExceptionNamingIt() throws IOException {
        Path bad = dir.resolve("broken.dcm");
        Files.write(bad, new byte[] {1, 2, 3});
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> ImageDecoders.standard().decodeAtLeast(bad, 224, 224));
        assertTrue(e.getMessage().contains("broken.dcm"), e.getMessage());
    }
}
