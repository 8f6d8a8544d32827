package org.pneumolab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing CSV through the library: columns by name, quoting, BOM, line ends, line numbers. */
class CsvFileTest {
    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsBomAndAnyLineEndsWithTheLineEachRowStartsOn() throws IOException {
        Path f = dir.resolve("a.csv");
        Files.writeString(f, "\uFEFFb,a\r\n\"x, y\",1\r\n\r\n\"two\nlines\",2\r\n\"say \"\"hi\"\"\",3\r\nlast,4");
        CsvFile csv = CsvFile.read(f, List.of("a", "b"));
        assertEquals(List.of("b", "a"), csv.header());
        assertEquals(4, csv.rows().size());
        assertEquals("x, y", csv.get(csv.rows().get(0), "b"));
        assertEquals(2, csv.rows().get(0).line());
        assertEquals("two\nlines", csv.get(csv.rows().get(1), "b"));
        assertEquals(4, csv.rows().get(1).line(), "a blank line is skipped but counted");
        assertEquals("say \"hi\"", csv.get(csv.rows().get(2), "b"));
        assertEquals(6, csv.rows().get(2).line());
        assertEquals("4", csv.get(csv.rows().get(3), "a"));
        assertEquals(7, csv.rows().get(3).line());
    }

    @Test
    void refusesNamingTheFile() throws IOException {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        assertTrue(assertThrows(IOException.class, () -> CsvFile.read(empty, List.of("a"))).getMessage()
                .startsWith(empty + ": empty file"));
        Path noColumn = dir.resolve("nocol.csv");
        Files.writeString(noColumn, "x,y\n1,2\n");
        assertTrue(assertThrows(IOException.class, () -> CsvFile.read(noColumn, List.of("a"))).getMessage()
                .startsWith(noColumn + ":1: header [x, y] lacks column 'a'"));
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "a\nd\u00e9j\u00e0\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(IOException.class, () -> CsvFile.read(latin1, List.of("a"))).getMessage()
                .contains("not UTF-8"));
        assertTrue(assertThrows(IOException.class, () -> CsvFile.read(dir.resolve("missing.csv"), List.of("a")))
                .getMessage().contains("file not found"));
    }

    @Test
    void writesWhatItReadsBack() throws IOException {
        Path f = dir.resolve("out.csv");
        List<List<String>> rows = List.of(List.of("plain", "with, comma"), List.of("quote \"q\"", ""), List.of("new\nline", "x"));
        CsvFile.write(f, List.of("a", "b"), rows);
        CsvFile back = CsvFile.read(f, List.of("a", "b"));
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i), back.rows().get(i).fields());
        }
        assertEquals("a,b\nplain,\"with, comma\"\n", CsvFile.format(List.of("a", "b"), List.of(List.of("plain", "with, comma"))));
    }
}
