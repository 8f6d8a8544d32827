package org.pneumolab.report;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * The one way numbers are written for a person: notebook tables, verdict sentences, README and
 * the CLI's text output. Rates and metrics to 3 decimals, intervals as {@code 0.882 [0.763, 0.968]},
 * differences with their sign, times and sizes with units, and "n/a" for an undefined value. Machine
 * output ({@code --json}, CSV) keeps full precision and does not come through here.
 */
public final class Format {
    /** Shown for NaN: a metric that is undefined on this data (e.g. no positive case). */
    public static final String NA = "n/a";
    public static final int DECIMALS = 3;

    private Format() {
    }

    /** A rate or metric: {@code 0.882}. */
    public static String rate(double v) {
        return fixed(v, DECIMALS);
    }

    /** A value to {@code decimals} places, NaN as "n/a". */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return NA;
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0\\.?0*") ? s.substring(1) : s; // no "-0.000"
    }

    /** A difference, always signed: {@code +0.012}, {@code -0.040}, {@code 0.000}. */
    public static String signed(double v) {
        return signed(v, DECIMALS);
    }

    /** {@code 0.882 [0.763, 0.968]}. */
    public static String interval(double value, double lo, double hi) {
        return rate(value) + " [" + rate(lo) + ", " + rate(hi) + "]";
    }

    /** A difference with its interval: {@code +0.052 [+0.010, +0.091]}. */
    public static String signedInterval(double value, double lo, double hi) {
        return signedInterval(value, lo, hi, DECIMALS);
    }

    /** A difference with its interval to {@code decimals} places: {@code +17 [+7, +27]} with 0. */
    public static String signedInterval(double value, double lo, double hi, int decimals) {
        return signed(value, decimals) + " [" + signed(lo, decimals) + ", " + signed(hi, decimals) + "]";
    }

    private static String signed(double v, int decimals) {
        String s = fixed(v, decimals);
        return s.equals(NA) || s.startsWith("-") || s.matches("0\\.?0*") ? s : "+" + s;
    }

    /** A count with an interval of counts: {@code 12 [7, 18]} (bootstrap count percentiles rounded). */
    public static String countInterval(double value, double lo, double hi) {
        return fixed(value, 0) + " [" + fixed(lo, 0) + ", " + fixed(hi, 0) + "]";
    }

    /** A duration with its unit: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 1 h 02 min}. */
    public static String seconds(double s) {
        if (Double.isNaN(s)) {
            return NA;
        }
        if (s < 0) {
            return "-" + seconds(-s);
        }
        if (s < 0.001) {
            return String.format(Locale.ROOT, "%.0f µs", s * 1e6);
        }
        if (s < 1) {
            return String.format(Locale.ROOT, s < 0.01 ? "%.2f ms" : s < 0.1 ? "%.1f ms" : "%.0f ms", s * 1000);
        }
        if (s < 60) {
            return String.format(Locale.ROOT, s < 10 ? "%.2f s" : "%.1f s", s);
        }
        long whole = Math.round(s);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, (whole % 3600) / 60);
    }

    /** Milliseconds with their unit, through {@link #seconds}. */
    public static String millis(double ms) {
        return seconds(ms / 1000);
    }

    /** Bytes in binary units: {@code 512 B}, {@code 3.4 MiB}, {@code 1.20 GiB}. */
    public static String bytes(double b) {
        if (Double.isNaN(b)) {
            return NA;
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (Math.abs(b) >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", b)
                : String.format(Locale.ROOT, Math.abs(b) < 10 ? "%.2f %s" : "%.1f %s", b, units[u]);
    }

    /**
     * Every floating-point column of {@code t} printed to 3 decimals ("n/a" for NaN), so no table
     * shows a 16-digit double. Columns that already carry their own formatter (e.g. a count stored
     * as double) are set to theirs again by the caller after this. Returns {@code t}.
     */
    public static Table readable(Table t) {
        for (Column<?> c : t.columns()) {
            if (c instanceof DoubleColumn d) {
                d.setPrintFormatter(decimals(DECIMALS));
            } else if (c instanceof FloatColumn f) {
                f.setPrintFormatter(decimals(DECIMALS));
            }
        }
        return t;
    }

    /** A Tablesaw formatter to {@code places} decimals, NaN as "n/a". */
    public static NumberColumnFormatter decimals(int places) {
        DecimalFormat f = new DecimalFormat(places == 0 ? "0" : "0." + "0".repeat(places),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setNegativePrefix("-");
        return new NumberColumnFormatter(f, NA) {
            @Override
            public String format(double value) {
                return Double.isNaN(value) ? NA : fixed(value, places);
            }
        };
    }
}
