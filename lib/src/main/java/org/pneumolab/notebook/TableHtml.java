package org.pneumolab.notebook;

import java.util.Locale;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a Tablesaw table as an HTML table: column types under the names; long tables cut to head
 * and tail, with a row and a footer that say how many rows are not shown; wide tables wrap their
 * cell text and scroll sideways inside the output instead of running off the page.
 */
public final class TableHtml {
    /** Rows shown before a long table is cut to its head and tail. */
    public static final int DEFAULT_MAX_ROWS = 20;
    private static final String CELL = "padding:2px 8px;vertical-align:top;";
    // Long text (ids, paths) wraps anywhere, so a wide table fits the page; numbers, short text and
    // column names never break inside (what does not fit then scrolls sideways in the output).
    private static final int SHORT_TEXT = 16;
    private static final String LONG_TEXT_CELL = CELL + "white-space:normal;overflow-wrap:anywhere;min-width:7em;max-width:24em";
    private static final String NOWRAP_CELL = CELL + "white-space:nowrap";
    private static final String HEAD_CELL = CELL + "white-space:normal;overflow-wrap:normal";

    private TableHtml() {
    }

    public static String render(Table table) {
        return render(table, DEFAULT_MAX_ROWS);
    }

    public static String render(Table table, int maxRows) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<div style=\"width:0;min-width:100%;overflow-x:auto\"><table style=\"border-collapse:collapse;font-size:90%\">");
        if (table.name() != null && !table.name().isBlank()) {
            b.append("<caption style=\"text-align:left;font-weight:bold\">").append(Html.escape(table.name()))
                    .append("</caption>");
        }
        b.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            b.append("<th style=\"text-align:").append(align(c)).append(";").append(HEAD_CELL).append("\">").append(Html.escape(c.name()))
                    .append("<br><span style=\"font-weight:normal;color:#888;font-size:80%\">")
                    .append(c.type().name().toLowerCase(Locale.ROOT)).append("</span></th>");
        }
        b.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        // Cut only when that hides at least half a table's worth: a "1 row not shown" line would
        // hide a row to save none.
        boolean cut = rows - maxRows >= Math.max(1, maxRows / 2);
        int head = cut ? maxRows / 2 : rows;
        int tail = cut ? maxRows - head : 0;
        String[] styles = cellStyles(table, head, tail);
        for (int r = 0; r < head; r++) {
            row(b, table, r, styles);
        }
        if (tail > 0) {
            b.append("<tr><td colspan=\"").append(table.columnCount())
                    .append("\" style=\"text-align:center;color:#888\">… ").append(rows - head - tail)
                    .append(" more rows, not shown …</td></tr>");
            for (int r = rows - tail; r < rows; r++) {
                row(b, table, r, styles);
            }
        }
        b.append("</tbody></table><div style=\"color:#888;font-size:80%\">").append(rows).append(" rows × ")
                .append(table.columnCount()).append(" columns")
                .append(cut ? ", " + (head + tail) + " rows shown (first " + head + ", last " + tail + ")" : "")
                .append("</div></div>");
        return b.toString();
    }

    /** Numbers line up on the right, text on the left. */
    private static String align(Column<?> c) {
        return c instanceof tech.tablesaw.api.NumericColumn<?> ? "right" : "left";
    }

    private static void row(StringBuilder b, Table t, int r, String[] cellStyles) {
        b.append("<tr>");
        for (int i = 0; i < t.columnCount(); i++) {
            Column<?> c = t.column(i);
            b.append("<td style=\"text-align:").append(align(c)).append(";").append(cellStyles[i])
                    .append("\">").append(Html.escape(c.getString(r))).append("</td>");
        }
        b.append("</tr>");
    }

    /** Per column: long text wraps, everything else stays on one line. */
    private static String[] cellStyles(Table t, int head, int tail) {
        String[] styles = new String[t.columnCount()];
        int rows = t.rowCount();
        for (int i = 0; i < styles.length; i++) {
            Column<?> c = t.column(i);
            int longest = 0;
            if (!(c instanceof tech.tablesaw.api.NumericColumn<?>)) {
                for (int r = 0; r < rows; r++) {
                    if (r < head || r >= rows - tail) {
                        longest = Math.max(longest, c.getString(r).length());
                    }
                }
            }
            styles[i] = longest > SHORT_TEXT ? LONG_TEXT_CELL : NOWRAP_CELL;
        }
        return styles;
    }
}
