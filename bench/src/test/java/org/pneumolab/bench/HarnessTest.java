package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HarnessTest {

    @Test
    void statsTakeTheMedianAndSpread() {
        Stats s = Stats.of(List.of(10.0, 30.0, 20.0, 12.0));
        assertEquals(16.0, s.median(), 1e-12);
        assertEquals(10.0, s.min(), 0);
        assertEquals(30.0, s.max(), 0);
        assertEquals(125.0, s.spreadPercent(), 1e-9);
        assertEquals(20.0, Stats.of(List.of(20.0, 10.0, 30.0)).median(), 0);
    }

    @Test
    void interleavesWithRotatingOrderAndReportsSkips() {
        List<String> calls = new ArrayList<>();
        Contestant a = new Contestant("a", true, () -> { calls.add("a"); return 1; });
        Contestant b = new Contestant("b", false, () -> { calls.add("b"); return 2; });
        Contestant c = new Contestant("c", false, () -> { throw new Contestant.Skipped("no torch"); });
        Harness h = new Harness(3, true, new PrintStream(new ByteArrayOutputStream()));
        List<Harness.Outcome> out = h.run(new Comparison("t", "x/s", List.of(a, b, c), null));
        // warm-up a, b (c skipped at warm-up), then rounds a b | b a | a b
        assertEquals(List.of("a", "b", "a", "b", "b", "a", "a", "b"), calls);
        assertEquals(3, out.get(0).stats().n());
        assertEquals(2.0, out.get(1).stats().median(), 0);
        assertNull(out.get(2).stats());
        assertTrue(out.get(2).problem().contains("no torch"));

        MarkdownTable t = new MarkdownTable();
        t.add(new Comparison("t", "x/s", List.of(a, b, c), null), out);
        assertTrue(t.toString().contains("| t | ours | a | 1.00 x/s | 1.00 | 1.00 | 0% | 3 |  | 0.50x |"), t.toString());
        assertTrue(t.toString().contains("skipped: no torch"));
    }
}
