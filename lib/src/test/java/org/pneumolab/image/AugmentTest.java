package org.pneumolab.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import org.pneumolab.geom.Box;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentTest {

    /** A 100 x 100 black image with a white block at (10..30, 20..40). */
    static GrayImage blockImage() {
        GrayImage img = GrayImage.blank(100, 100);
        for (int y = 20; y < 40; y++) {
            for (int x = 10; x < 30; x++) {
                img.set(x, y, 255);
            }
        }
        return img;
    }

    static final Box BLOCK = new Box(10, 20, 30, 40);

    @Test
    void horizontalFlipMirrorsPixelsAndBox() {
        Augmented a = Augment.geometric(blockImage(), List.of(BLOCK), true, 0, 1);
        // x -> 100 - x: the block now spans x 70..90.
        assertEquals(List.of(new Box(70, 20, 90, 40)), a.boxes());
        assertEquals(255, a.image().get(75, 25), 1e-3);
        assertEquals(0, a.image().get(15, 25), 1e-3);
    }

    @Test
    void quarterTurnClockwiseByHand() {
        // About the centre (50, 50), clockwise on screen: (x, y) -> (100 - y, x).
        // Corners (10,20) -> (80,10), (30,40) -> (60,30): box (60,10)-(80,30).
        Augmented a = Augment.geometric(blockImage(), List.of(BLOCK), false, 90, 1);
        Box b = a.boxes().get(0);
        assertEquals(60, b.x1(), 1e-9);
        assertEquals(10, b.y1(), 1e-9);
        assertEquals(80, b.x2(), 1e-9);
        assertEquals(30, b.y2(), 1e-9);
        assertEquals(255, a.image().get(70, 20), 1e-3);
        assertEquals(0, a.image().get(20, 30), 1e-3);
    }

    @Test
    void smallRotationTakesTheBoundingBoxOfRotatedCorners() {
        // 10 degrees: the 20 x 20 box's bounding box grows to 20 (cos + sin) = 23.16 per side.
        Augmented a = Augment.geometric(blockImage(), List.of(BLOCK), false, 10, 1);
        Box b = a.boxes().get(0);
        double side = 20 * (Math.cos(Math.toRadians(10)) + Math.sin(Math.toRadians(10)));
        assertEquals(side, b.width(), 1e-9);
        assertEquals(side, b.height(), 1e-9);
    }

    @Test
    void boxesAreClippedAndDroppedWhenPushedOut() {
        Box nearEdge = new Box(0, 0, 10, 10);
        Augmented a = Augment.geometric(blockImage(), List.of(nearEdge), false, 0, 1.5);
        // Scaling 1.5 about the centre maps (0,0)-(10,10) to (-25,-25)-(-10,-10): gone.
        assertTrue(a.boxes().isEmpty());
        Augmented b = Augment.geometric(blockImage(), List.of(new Box(0, 40, 20, 60)), false, 0, 1.5);
        assertEquals(List.of(new Box(0, 35, 5, 65)), b.boxes());
    }

    @Test
    void randomAugmentationsKeepTheObjectInsideItsBoxAndRepeatWithTheSeed() {
        AugmentSpec spec = new AugmentSpec(0.5, 10, 0.15, 0.1, 0.1, 0.1);
        for (int seed = 0; seed < 40; seed++) {
            Augmented a = Augment.apply(blockImage(), List.of(BLOCK), spec, new Random(seed));
            Box b = a.boxes().get(0);
            GrayImage img = a.image();
            // Brightness may lift the background by up to 25.5 and contrast stretch it; the
            // block stays far brighter. Every clearly bright pixel must lie in the box.
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 100; x++) {
                    if (img.get(x, y) > 150) {
                        assertTrue(x + 0.5 >= b.x1() - 1 && x + 0.5 <= b.x2() + 1
                                && y + 0.5 >= b.y1() - 1 && y + 0.5 <= b.y2() + 1,
                                "seed " + seed + ": bright pixel (" + x + "," + y + ") outside " + b);
                    }
                }
            }
            // ... and the box centre is on the object.
            assertTrue(img.get((int) ((b.x1() + b.x2()) / 2), (int) ((b.y1() + b.y2()) / 2)) > 150, "seed " + seed);
            Augmented again = Augment.apply(blockImage(), List.of(BLOCK), spec, new Random(seed));
            assertEquals(a, again);
        }
    }

    @Test
    void brightnessAndContrastByHand() {
        GrayImage img = new GrayImage(3, 1, new float[]{0, 127.5f, 255});
        GrayImage out = Augment.photometric(img, 0.1, 1.2);
        assertEquals(0, out.get(0, 0), 1e-3); // (0 - 127.5) * 1.2 + 127.5 + 25.5 = 0
        assertEquals(153, out.get(1, 0), 1e-3);
        assertEquals(255, out.get(2, 0), 1e-3); // clamped
    }
}
