package org.pneumolab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class NotebookOutputTest {

    @Test
    void outsideTheKernelNothingIsLive() {
        assertFalse(Notebook.isActive());
        assertFalse(Notebook.display("x").isLive());
    }

    @Test
    void tableHtmlShowsTypesEscapesAndCutsLongTables() {
        int n = 50;
        int[] ids = new int[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            names[i] = i == 0 ? "<b>&" : "row" + i;
        }
        Table t = Table.create("demo", IntColumn.create("id", ids), StringColumn.create("name", names));
        String html = TableHtml.render(t, 10);
        assertTrue(html.contains("integer"), "column type shown");
        assertTrue(html.contains("&lt;b&gt;&amp;"), "cell text escaped");
        assertTrue(html.contains("40 more rows"), "middle rows cut");
        assertTrue(html.contains("row49"), "tail shown");
        assertFalse(html.contains("row20<"), "middle row not shown");
        assertTrue(html.contains("50 rows × 2 columns, 10 rows shown"));
    }

    @Test
    void tableHtmlShowsATableJustOverTheLimitWhole() {
        int n = TableHtml.DEFAULT_MAX_ROWS + 1;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000 + i;
        }
        String html = TableHtml.render(Table.create("env", IntColumn.create("id", ids)));
        for (int id : ids) {
            assertTrue(html.contains(">" + id + "<"), "row " + id + " shown");
        }
        assertFalse(html.contains("not shown"));
        assertFalse(html.contains("overflow-wrap:anywhere"), "short numbers never wrap");
    }

    @Test
    void textProgressLineHasCountsAndMessage() {
        ProgressBar bar = ProgressBar.silent("scan", 200);
        bar.advance(50);
        bar.message("3 bad files");
        String line = bar.textLine();
        assertTrue(line.startsWith("scan ["), line);
        assertTrue(line.contains(" 25% 50/200"), line);
        assertTrue(line.contains("3 bad files"), line);
        assertEquals(50, bar.done());
    }

    @Test
    void plainTextOfHtmlKeepsCellsAndLines() {
        assertEquals("a\tb", Html.toPlainText("<table><tr><td>a</td><td>b</td></tr></table>"));
    }
}
