package org.pneumolab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small CSV reader for Kaggle's label files: a header naming the columns, then rows. Fields
 * may be quoted ({@code "a, b"}, {@code ""} for a quote); values keep no surrounding spaces.
 * Columns are found by header name so a reordered file still reads. Each row keeps its line
 * number for error messages.
 */
final class CsvTable {

    record Row(long line, List<String> fields) {
    }

    private final Path file;
    private final Map<String, Integer> columns;
    private final List<Row> rows;

    private CsvTable(Path file, Map<String, Integer> columns, List<Row> rows) {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
    }

    /** Reads the whole file; fails naming the file when it is missing or lacks a required column. */
    static CsvTable read(Path file, List<String> requiredColumns) throws IOException {
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> columns = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException(file + ": empty file, expected a header " + requiredColumns);
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            List<String> names = split(header);
            for (int i = 0; i < names.size(); i++) {
                columns.put(names.get(i), i);
            }
            for (String c : requiredColumns) {
                if (!columns.containsKey(c)) {
                    throw new IOException(file + ":1: header " + names + " lacks column '" + c + "'");
                }
            }
            String line;
            long n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    rows.add(new Row(n, split(line)));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        }
        return new CsvTable(file, columns, rows);
    }

    Path file() {
        return file;
    }

    int columnCount() {
        return columns.size();
    }

    List<Row> rows() {
        return rows;
    }

    /** The value of a named column in a row; "" when the row is too short (callers check the width). */
    String get(Row row, String column) {
        int i = columns.get(column);
        return i < row.fields().size() ? row.fields().get(i) : "";
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }
}
