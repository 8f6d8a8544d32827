package org.pneumolab.geom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class BoxTest {
    @Test
    void xywhRoundTripAndSizes() {
        Box b = Box.fromXywh(10, 20, 30, 40);
        assertEquals(new Box(10, 20, 40, 60), b);
        assertArrayEquals(new double[] {10, 20, 30, 40}, b.toXywh());
        assertEquals(30, b.width());
        assertEquals(40, b.height());
        assertEquals(1200, b.area());
        assertEquals(25, b.centreX());
        assertEquals(40, b.centreY());
        assertEquals(b, BoxFormat.XYWH.toBox(10, 20, 30, 40));
        assertArrayEquals(new double[] {10, 20, 40, 60}, BoxFormat.XYXY.toArray(b));
    }

    @Test
    void iouByHand() {
        Box a = new Box(0, 0, 10, 10);
        assertEquals(1.0, a.iou(a));
        // overlap 5x10 = 50, union 100 + 100 - 50 = 150
        assertEquals(50.0 / 150.0, a.iou(new Box(5, 0, 15, 10)), 1e-12);
        assertEquals(0.0, a.iou(new Box(10, 0, 20, 10)));
        // contained: 4 / 100
        assertEquals(0.04, a.iou(new Box(1, 1, 3, 3)), 1e-12);
    }

    @Test
    void shrinkKeepsCentre() {
        Box b = new Box(100, 200, 300, 600);
        Box s = b.scaledAboutCentre(0.875);
        assertEquals(b.centreX(), s.centreX(), 1e-9);
        assertEquals(b.centreY(), s.centreY(), 1e-9);
        assertEquals(175, s.width(), 1e-9);
        assertEquals(350, s.height(), 1e-9);
        assertEquals(112.5, s.x1(), 1e-9);
    }

    @Test
    void clipAndMapThroughResizeGeometry() {
        Box b = new Box(-10, 5, 300, 240);
        assertEquals(new Box(0, 5, 224, 224), b.clip(224, 224));
        Box orig = new Box(256, 512, 512, 1024);
        ResizeGeometry g = ResizeGeometry.stretch(1024, 1024, 128, 128);
        Box model = g.toTarget(orig);
        assertEquals(new Box(32, 64, 64, 128), model);
        assertEquals(orig, g.toSource(model));
    }

    @Test
    void badBoxesAreRejectedWithTheirValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Box(5, 0, 1, 1));
        assertEquals(true, e.getMessage().contains("5.0"));
        assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Detection(new Box(0, 0, 1, 1), Double.NaN));
    }
}
