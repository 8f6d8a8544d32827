package org.pneumolab.io;

import java.nio.file.Path;

/**
 * One thing wrong with the input that was reported and skipped: the file, the line when the
 * file is a table (0 otherwise) and what is wrong.
 */
public record DataProblem(Path file, long line, String problem) {

    public static DataProblem of(Path file, String problem) {
        return new DataProblem(file, 0, problem);
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + problem;
    }
}
