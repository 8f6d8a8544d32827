package org.pneumolab.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads the small unquoted CSV files of the RSNA challenge line by line: the header must be the
 * expected one (else the whole file is rejected, naming it), blank lines are ignored, and every
 * data line goes to the handler with its 1-based line number.
 */
final class CsvLines {
    private CsvLines() {
    }

    static void read(Path file, String expectedHeader, BiConsumer<Integer, String> handler) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header != null && header.startsWith("\uFEFF")) {
                header = header.substring(1); // a byte-order mark some editors add
            }
            if (header == null || !header.strip().equals(expectedHeader)) {
                throw new IOException(file + ": expected header '" + expectedHeader + "', found "
                        + (header == null ? "an empty file" : "'" + header.strip() + "'"));
            }
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    handler.accept(number, line.strip());
                }
            }
        }
    }

    /** "file:line: problem", the form every reader reports skipped lines in. */
    static String problem(Path file, int line, String message) {
        return file + ":" + line + ": " + message;
    }

    static double finite(String s, String what) {
        double v;
        try {
            v = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: '" + s + "'");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is not finite: '" + s + "'");
        }
        return v;
    }

    static List<String> fields(String line, int expected) {
        List<String> f = List.of(line.split(",", -1));
        if (f.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " comma-separated fields, found " + f.size());
        }
        return f;
    }
}
