package org.pneumolab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class FormatTest {

    @Test
    void ratesIntervalsAndDifferences() {
        assertEquals("0.882", Format.rate(0.88213));
        assertEquals("0.882 [0.763, 0.968]", Format.interval(0.8821, 0.76349, 0.96791));
        assertEquals("+0.052 [-0.010, +0.091]", Format.signedInterval(0.0521, -0.0099, 0.0912));
        assertEquals("0.000", Format.signed(-0.00001)); // no "-0.000" and no "+0.000"
        assertEquals("0.000", Format.rate(-0.0001));
        assertEquals("n/a", Format.rate(Double.NaN));
        assertEquals("12 [7, 18]", Format.countInterval(12, 6.6, 18.4));
        assertEquals("-3 [-9, +3]", Format.signedInterval(-3, -9, 3, 0));
        assertEquals("0 [-2, +1]", Format.signedInterval(-0.2, -2, 1, 0));
    }

    @Test
    void timesAndSizesCarryUnits() {
        assertEquals("850 ms", Format.seconds(0.85));
        assertEquals("12.3 s", Format.seconds(12.34));
        assertEquals("4.50 s", Format.seconds(4.5));
        assertEquals("4 min 05 s", Format.seconds(245.2));
        assertEquals("1 h 02 min", Format.seconds(3725));
        assertEquals("5.20 ms", Format.millis(5.2));
        assertEquals("3.50 MiB", Format.bytes(3.5 * 1024 * 1024));
        assertEquals("512 B", Format.bytes(512));
    }

    @Test
    void tablesNeverPrintSixteenDigits() {
        Table t = Table.create("t", StringColumn.create("name", "a", "b"),
                DoubleColumn.create("score", 0.04872881355932203, Double.NaN));
        String printed = Format.readable(t).print();
        assertFalse(printed.contains("0.0487288"), printed);
        assertEquals("0.049", t.doubleColumn("score").getString(0));
        assertEquals("n/a", t.doubleColumn("score").getString(1));
    }
}
