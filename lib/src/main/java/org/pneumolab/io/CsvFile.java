package org.pneumolab.io;

import java.io.IOException;
import java.io.StringReader;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;

/**
 * A CSV file with a header, read and written with univocity-parsers (which Tablesaw brings), so
 * quoting, escaped quotes, byte-order marks, CRLF/LF/CR line ends and fields with line breaks are
 * a maintained library's job, not ours. Columns are found by header name, so a reordered file
 * still reads; values keep no surrounding spaces; blank lines are skipped. Each row keeps the
 * line it starts on, for messages that name file and line.
 */
public final class CsvFile {

    /** One data row: the 1-based line it starts on and its fields as written. */
    public record Row(long line, List<String> fields) {
    }

    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> columns;
    private final List<Row> rows;

    private CsvFile(Path file, List<String> header, Map<String, Integer> columns, List<Row> rows) {
        this.file = file;
        this.header = header;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Reads the whole file. An IOException naming the file when it is missing, empty, lacks a
     * required column or is not CSV at all (an unclosed quote swallowing the rest).
     */
    public static CsvFile read(Path file, List<String> requiredColumns) throws IOException {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setSkipEmptyLines(true);
        settings.setIgnoreLeadingWhitespaces(true);
        settings.setIgnoreTrailingWhitespaces(true);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setMaxCharsPerColumn(-1); // raw detections put thousands of numbers in one field
        settings.setMaxColumns(4096);
        settings.setErrorContentLength(80);
        CsvParser parser = new CsvParser(settings);
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark some editors add
            }
            LineIndex lines = new LineIndex(text);
            parser.beginParsing(new StringReader(text));
            long start = 0;
            String[] fields;
            while ((fields = parser.parseNext()) != null) {
                long line = lines.lineOfRecordAt(start);
                start = parser.getContext().currentChar();
                List<String> values = new ArrayList<>(fields.length);
                for (String f : fields) {
                    values.add(f == null ? "" : f);
                }
                if (header == null) {
                    header = List.copyOf(values);
                } else {
                    rows.add(new Row(line, Collections.unmodifiableList(values)));
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text (a CSV file was expected)", e);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        } catch (TextParsingException e) {
            throw new IOException(file + ":" + (e.getLineIndex() + 1) + ": not readable as CSV ("
                    + firstLine(e.getMessage()) + ")", e);
        } finally {
            parser.stopParsing();
        }
        if (header == null) {
            throw new IOException(file + ": empty file, expected a header " + requiredColumns);
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i), i);
        }
        for (String c : requiredColumns) {
            if (!columns.containsKey(c)) {
                throw new IOException(file + ":1: header " + header + " lacks column '" + c + "'");
            }
        }
        return new CsvFile(file, header, Collections.unmodifiableMap(columns), List.copyOf(rows));
    }

    /** Line numbers of character offsets; a record's line is that of its first character after line breaks. */
    private static final class LineIndex {
        private final String text;
        private final int[] starts;

        LineIndex(String text) {
            this.text = text;
            List<Integer> s = new ArrayList<>();
            s.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                    s.add(i + 1);
                }
            }
            starts = s.stream().mapToInt(Integer::intValue).toArray();
        }

        long lineOfRecordAt(long offset) {
            int at = (int) Math.min(offset, text.length());
            while (at < text.length() && (text.charAt(at) == '\n' || text.charAt(at) == '\r'
                    || text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
            int i = java.util.Arrays.binarySearch(starts, at);
            return (i >= 0 ? i : -i - 2) + 1;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Path file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The value of a named column in a row; "" when the row is too short (callers check {@link #widthProblem}). */
    public String get(Row row, String column) {
        Integer i = columns.get(column);
        if (i == null) {
            throw new IllegalArgumentException(file + " has no column '" + column + "'");
        }
        return i < row.fields().size() ? row.fields().get(i) : "";
    }

    /** "expected N fields, found M" when the row's width differs from the header's; else null. */
    public String widthProblem(Row row) {
        int n = row.fields().size();
        return n == header.size() ? null : "expected " + header.size() + " fields, got " + n;
    }

    /** A problem on a row of this file. */
    public DataProblem problem(Row row, String what) {
        return new DataProblem(file, row.line(), what);
    }

    /** Writes a header and rows atomically; values are written with {@link String#valueOf}, quoted when needed. */
    public static void write(Path target, List<String> header, Iterable<? extends List<?>> rows) throws IOException {
        AtomicFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            write(w, header, rows);
            w.flush();
        });
    }

    /** Rows produced one at a time, each handed to {@code row} as it is made. */
    @FunctionalInterface
    public interface RowSource {
        void emit(java.util.function.Consumer<List<?>> row) throws IOException;
    }

    /**
     * Writes a header and the rows {@code source} emits, atomically, streaming them to the file as
     * they come (for outputs as long as a folder of images, never held in memory as a list). If
     * {@code source} throws, the target is left as it was.
     */
    public static void stream(Path target, List<String> header, RowSource source) throws IOException {
        AtomicFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CsvWriter csv = writer(w, header);
            source.emit(row -> writeRow(csv, row));
            csv.flush();
            w.flush();
        });
    }

    /** The CSV text of a header and rows. */
    public static String format(List<String> header, Iterable<? extends List<?>> rows) {
        StringWriter s = new StringWriter();
        write(s, header, rows);
        return s.toString();
    }

    private static void write(Writer w, List<String> header, Iterable<? extends List<?>> rows) {
        CsvWriter csv = writer(w, header);
        for (List<?> row : rows) {
            writeRow(csv, row);
        }
        csv.flush();
    }

    private static CsvWriter writer(Writer w, List<String> header) {
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.getFormat().setLineSeparator("\n");
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setMaxColumns(Math.max(512, header.size()));
        CsvWriter csv = new CsvWriter(w, settings);
        csv.writeRow(header.toArray());
        return csv;
    }

    private static void writeRow(CsvWriter csv, List<?> row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = row.get(i);
            values[i] = v == null ? "" : String.valueOf(v);
        }
        csv.writeRow(values);
    }
}
