package org.pneumolab.data;

import org.pneumolab.io.DataProblem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems met while reading a folder of thousands of files, so a bad file is
 * skipped without aborting the run yet never silently: each problem is printed when it happens
 * (the first {@value #ECHO_LIMIT}, then a count, so a broken data set cannot flood a notebook)
 * and the whole list stays available to show or test. Thread-safe: loaders decode in parallel.
 */
public final class ProblemLog {
    static final int ECHO_LIMIT = 20;

    private final List<DataProblem> problems = new ArrayList<>();
    private final PrintStream echo;

    public ProblemLog(PrintStream echo) {
        this.echo = echo;
    }

    /** A log that prints to standard error. */
    public static ProblemLog toStderr() {
        return new ProblemLog(System.err);
    }

    /** A log that only collects (for tests and for callers who print the list themselves). */
    public static ProblemLog quiet() {
        return new ProblemLog(null);
    }

    public void report(Path file, long line, String problem) {
        report(new DataProblem(file, line, problem));
    }

    public void report(Path file, String problem) {
        report(new DataProblem(file, 0, problem));
    }

    public synchronized void report(DataProblem p) {
        record("skipped", p);
    }

    /**
     * A cached or derived file that was unusable and has been rebuilt from its source: recorded
     * like a problem (so a test or a notebook can count them) but printed as "rebuilt:", because
     * nothing was left out.
     */
    public void rebuilt(Path file, String why) {
        record("rebuilt", new DataProblem(file, 0, why));
    }

    private synchronized void record(String verb, DataProblem p) {
        problems.add(p);
        if (echo != null) {
            if (problems.size() <= ECHO_LIMIT) {
                echo.println(verb + ": " + p);
            } else if (problems.size() == ECHO_LIMIT + 1) {
                echo.println("more problems follow; see problems() for the full list");
            }
        }
    }

    public synchronized List<DataProblem> problems() {
        return List.copyOf(problems);
    }

    public synchronized int size() {
        return problems.size();
    }

    public synchronized boolean isEmpty() {
        return problems.isEmpty();
    }
}
