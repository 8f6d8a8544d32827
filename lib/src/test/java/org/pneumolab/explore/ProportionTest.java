package org.pneumolab.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProportionTest {
    @Test
    void wilsonIntervalMatchesHandValues() {
        // 8 of 10: p = 0.8, z = 1.96; centre = (0.8 + 0.19208) / 1.38415 = 0.71674,
        // half = 1.96 * sqrt(0.016 + 0.0009604) / 1.38415 = 0.18440 -> [0.4902, 0.9430]
        Proportion p = Proportion.of(8, 10);
        assertEquals(0.8, p.rate(), 1e-12);
        assertEquals(0.4902, p.lo(), 1e-4);
        assertEquals(0.9433, p.hi(), 1e-3);
        Proportion zero = Proportion.of(0, 20);
        assertEquals(0.0, zero.lo(), 1e-12);
        assertTrue(zero.hi() > 0.1 && zero.hi() < 0.2, "upper bound above 0 even with no successes");
        assertTrue(Double.isNaN(Proportion.of(0, 0).rate()));
    }
}
