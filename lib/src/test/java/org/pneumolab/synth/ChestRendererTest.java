package org.pneumolab.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ChestRendererTest {
    private final ChestRenderer renderer = new ChestRenderer();

    private static ChestCase opacityCase(long seed, int count) {
        Random r = new Random(seed);
        Anatomy a = Anatomy.random(r, Population.ADULT, seed % 2 == 0);
        return ChestCase.random(r, a, seed % 2 == 0, FindingSampler.adultOpacities(r, a, count));
    }

    /**
     * The box covers the cloud: rendering the same film with and without its opacities, at least
     * 95% of the added brightness lies inside the true boxes; the boxes lie inside the image and
     * are not absurdly large.
     */
    @Test
    void boxesLieInsideTheImageAndCoverTheCloud() {
        int size = 512;
        for (long seed = 1; seed <= 24; seed++) {
            int count = 1 + (int) (seed % 4);
            ChestCase c = opacityCase(seed, count);
            ChestRenderer.Rendering with = renderer.render(c, size, size);
            ChestRenderer.Rendering without = renderer.render(c.withoutFindings(), size, size);
            assertEquals(count, with.boxes().size(), "one box per opacity, seed " + seed);
            assertTrue(without.boxes().isEmpty());
            for (LabelBox b : with.boxes()) {
                assertTrue(b.x() >= 0 && b.y() >= 0 && b.x() + b.width() <= size && b.y() + b.height() <= size, b.toString());
                assertTrue(b.width() >= size * 0.04 && b.width() <= size * 0.6, "box width " + b);
                assertTrue(b.height() >= size * 0.04 && b.height() <= size * 0.7, "box height " + b);
            }
            byte[] p1 = pixels(with.image());
            byte[] p0 = pixels(without.image());
            double inside = 0;
            double total = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int diff = Math.max(0, (p1[y * size + x] & 0xff) - (p0[y * size + x] & 0xff));
                    total += diff;
                    int px = x;
                    int py = y;
                    if (with.boxes().stream().anyMatch(b -> b.contains(px + 0.5, py + 0.5))) {
                        inside += diff;
                    }
                }
            }
            assertTrue(total > 0, "the opacity changed nothing, seed " + seed);
            assertTrue(inside / total >= 0.95, "only " + inside / total + " of the cloud inside its boxes, seed " + seed);
        }
    }

    @Test
    void opacitiesBrightenTheLungsInsideTheirBoxes() {
        for (long seed = 1; seed <= 10; seed++) {
            ChestCase c = opacityCase(seed, 1);
            ChestRenderer.Rendering with = renderer.render(c, 256, 256);
            ChestRenderer.Rendering without = renderer.render(c.withoutFindings(), 256, 256);
            LabelBox b = with.boxes().get(0);
            double gain = meanIn(with.image(), b) - meanIn(without.image(), b);
            assertTrue(gain > 3, "mean gain inside the box only " + gain + " gray levels, seed " + seed);
        }
    }

    @Test
    void sameCaseSamePixelsOtherCaseOtherPixels() {
        byte[] a = pixels(renderer.render(opacityCase(5, 2), 300, 200).image());
        byte[] b = pixels(renderer.render(opacityCase(5, 2), 300, 200).image());
        byte[] c = pixels(renderer.render(opacityCase(6, 2), 300, 200).image());
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void notNormalFindingsAddNoBoxesButChangeTheFilm() {
        for (long seed = 1; seed <= 8; seed++) {
            Random r = new Random(seed);
            Anatomy a = Anatomy.random(r, Population.ADULT, false);
            List<Finding> findings = FindingSampler.notNormal(r, a);
            ChestCase c = ChestCase.random(r, a, false, findings);
            ChestRenderer.Rendering with = renderer.render(c, 256, 256);
            assertTrue(with.boxes().isEmpty());
            assertFalse(java.util.Arrays.equals(pixels(with.image()), pixels(renderer.render(c.withoutFindings(), 256, 256).image())),
                    "findings " + findings + " left no trace");
        }
    }

    @Test
    void everyKindOfExampleFilmRenders() {
        for (ChestCase.Kind kind : ChestCase.Kind.values()) {
            ChestCase c = ChestCase.of(11, kind, true);
            ChestRenderer.Rendering r = renderer.render(c, 320, 240);
            assertEquals(320, r.image().getWidth());
            assertEquals(240, r.image().getHeight());
            boolean pneumonia = kind == ChestCase.Kind.LUNG_OPACITY || kind.name().contains("PNEUMONIA");
            assertEquals(pneumonia, !r.boxes().isEmpty(), kind.toString());
            assertEquals(kind == ChestCase.Kind.NORMAL || kind == ChestCase.Kind.CHILD_NORMAL, c.findings().isEmpty(), kind.toString());
        }
    }

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    private static double meanIn(BufferedImage img, LabelBox b) {
        double sum = 0;
        int n = 0;
        for (int y = (int) b.y(); y < b.y() + b.height(); y++) {
            for (int x = (int) b.x(); x < b.x() + b.width(); x++) {
                sum += img.getRaster().getSample(x, y, 0);
                n++;
            }
        }
        return sum / n;
    }
}
