package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TargetsAndUnitsTest {
    private static final Harness HARNESS = new Harness(3, false, new PrintStream(new ByteArrayOutputStream()));

    private static Contestant fixed(String label, boolean ours, double perSecond) {
        return new Contestant(label, ours, () -> perSecond);
    }

    @Test
    void timeUnitsShowTimePerItemAndRatiosStaySpeedRatios() {
        Unit ms = Unit.time("ms/img", 1000);
        assertEquals(250.0, ms.shown(4.0), 1e-12);
        assertEquals(2.0, ms.speedRatio(250, 500), 1e-12); // 250 ms is twice as fast as 500 ms
        assertEquals(0.5, Unit.rate("img/s").speedRatio(2, 4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Unit.time("s", 0));

        Comparison c = new Comparison("det", ms, List.of(fixed("ours", true, 4), fixed("peer-a", false, 2),
                fixed("peer-b", false, 1)), null, null);
        List<Harness.Outcome> out = HARNESS.run(c);
        assertEquals(250.0, out.get(0).stats().median(), 1e-9);
        // Best peer is the fastest (peer-a, 500 ms), not the largest number of ms (peer-b).
        assertEquals(500.0, MarkdownTable.referenceMedian(c, out).orElseThrow(), 1e-9);
        MarkdownTable t = new MarkdownTable();
        t.add(c, out);
        assertTrue(t.toString().contains("| det | ours | ours | 250 ms/img | 250 | 250 | 0% | 3 |  | 2.00x |"), t.toString());
    }

    @Test
    void aNamedReferenceReplacesTheBestPeer() {
        Comparison c = new Comparison("feat", Unit.rate("img/s"), List.of(fixed("cached", true, 30),
                fixed("through base", true, 3)), null, "through base");
        List<Harness.Outcome> out = HARNESS.run(c);
        MarkdownTable t = new MarkdownTable();
        t.add(c, out);
        assertTrue(t.toString().contains("| cached | 30.0 img/s | 30.0 | 30.0 | 0% | 3 |  | 10.00x |"), t.toString());
        assertTrue(t.toString().contains("| 1.00x (ref.) |"), t.toString());
    }

    @Test
    void targetsSayMetOrMissedAndByHowMuch() {
        Comparison fwd = new Comparison("fwd", "img/s", List.of(fixed("DL4J", true, 1.4), fixed("DL4J NHWC", true, 1.6),
                fixed("torch", false, 1.0), fixed("torch cl", false, 2.0)), null);
        Comparison sweep = new Comparison("sweep", Unit.time("s/sweep", 1), List.of(fixed("Sweep.run", true, 0.4)),
                null, null);
        Map<String, Comparison> cs = Map.of("fwd", fwd, "sweep", sweep);
        Map<String, List<Harness.Outcome>> rs = Map.of("fwd", HARNESS.run(fwd), "sweep", HARNESS.run(sweep));

        String vsBest = Target.faster("forward >= 1x", "fwd", null, 1.0).check(cs, rs);
        assertTrue(vsBest.startsWith("forward >= 1x: missed, DL4J NHWC at 0.80x torch cl (20% short of 1.0x)"), vsBest);
        String vsNamed = Target.faster("forward >= 1.5x plain torch", "fwd", "torch", 1.5).check(cs, rs);
        assertTrue(vsNamed.startsWith("forward >= 1.5x plain torch: met, DL4J NHWC at 1.60x torch"), vsNamed);
        String slow = Target.within("sweep under 2 s", "sweep", 2.0).check(cs, rs);
        assertEquals("sweep under 2 s: missed, Sweep.run 2.50 s/sweep (25% over)", slow);
        String fast = Target.within("sweep under 3 s", "sweep", 3.0).check(cs, rs);
        assertEquals("sweep under 3 s: met, Sweep.run 2.50 s/sweep", fast);
        assertTrue(Target.within("x", "absent", 1).check(cs, rs).contains("not judged"));
        assertTrue(Target.faster("y", "fwd", "pydicom", 2).check(cs, rs).contains("not judged (peer pydicom not measured)"));
    }

    @Test
    void syntheticSweepInputIsSeededAndInRange() {
        SweepWork a = SweepWork.synthetic(50, 7);
        SweepWork b = SweepWork.synthetic(50, 7);
        assertEquals(a.raw.detections(), b.raw.detections());
        assertEquals(a.groundTruth, b.groundTruth);
        a.raw.detections().values().forEach(d -> assertTrue(d.size() >= 5 && d.size() <= 30, "boxes " + d.size()));
        assertTrue(a.groundTruth.values().stream().anyMatch(List::isEmpty));
        assertTrue(a.groundTruth.values().stream().anyMatch(g -> !g.isEmpty()));
    }
}
