package org.pneumolab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.pneumolab.io.DataProblem;

/**
 * What the input files of a command held that could not be used, and the command's policy for
 * it. Strict (the default): any problem stops the command before it prints a number, naming
 * file, line and reason, so no score quietly leaves data out. Lenient ({@code --lenient}): the
 * rows are skipped, each is listed on stderr, and the printed result says how many rows and
 * patients each file lost.
 */
final class InputReport {
    /** Problems and losses of one input file. */
    record Source(String role, Path file, List<DataProblem> problems, int droppedRows, Set<String> droppedPatients) {
    }

    private final boolean lenient;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<DataProblem> fatal = new ArrayList<>();

    InputReport(boolean lenient) {
        this.lenient = lenient;
    }

    boolean lenient() {
        return lenient;
    }

    /** Adds a file's row problems; they are errors unless lenient. */
    void add(String role, Path file, List<DataProblem> problems, Set<String> droppedPatients) {
        sources.put(role, new Source(role, file, problems, problems.size(), droppedPatients));
    }

    /** A problem that no flag can skip (nothing left to compute on). */
    void fatal(DataProblem p) {
        fatal.add(p);
    }

    List<DataProblem> problems() {
        List<DataProblem> all = new ArrayList<>(fatal);
        sources.values().forEach(s -> all.addAll(s.problems()));
        return all;
    }

    /**
     * Prints the problems to {@code err}; true when the command must stop (strict with problems,
     * or anything fatal).
     */
    boolean stop(String command, PrintStream err) {
        List<DataProblem> rows = new ArrayList<>();
        sources.values().forEach(s -> rows.addAll(s.problems()));
        if (lenient) {
            rows.forEach(p -> err.println("skipped " + p));
        } else {
            rows.forEach(p -> err.println("error: " + p));
        }
        fatal.forEach(p -> err.println("error: " + p));
        if (!fatal.isEmpty()) {
            err.printf(Locale.ROOT, "pneumo %s: nothing to compute; see the error(s) above%n", command);
            return true;
        }
        if (!lenient && !rows.isEmpty()) {
            err.printf(Locale.ROOT, "pneumo %s: %d malformed or duplicate row(s) in the input, nothing computed."
                    + " Fix them, or pass --lenient to skip them (the result then says what was dropped)%n",
                    command, rows.size());
            return true;
        }
        return false;
    }

    /** "dropped: labels 2 rows (1 patient), submission 1 row (1 patient)"; empty when nothing was dropped. */
    String droppedLine() {
        List<String> parts = new ArrayList<>();
        for (Source s : sources.values()) {
            if (s.droppedRows() > 0) {
                parts.add(String.format(Locale.ROOT, "%s %s: %d row(s) (%d patient(s) lost entirely)", s.role(),
                        s.file(), s.droppedRows(), s.droppedPatients().size()));
            }
        }
        return parts.isEmpty() ? "" : "dropped (--lenient): " + String.join("; ", parts);
    }

    /** {"labels": {"file":…, "rows":…, "patients":…}, …} */
    JsonObject droppedJson() {
        JsonObject o = new JsonObject();
        for (Source s : sources.values()) {
            JsonObject d = new JsonObject();
            d.addProperty("file", s.file().toString());
            d.addProperty("rows", s.droppedRows());
            d.addProperty("patients", s.droppedPatients().size());
            o.add(s.role(), d);
        }
        return o;
    }

    JsonArray problemsJson() {
        JsonArray a = new JsonArray();
        for (DataProblem p : problems()) {
            a.add(problemJson(p));
        }
        return a;
    }

    static JsonObject problemJson(DataProblem p) {
        JsonObject o = new JsonObject();
        o.addProperty("file", p.file().toString());
        if (p.line() > 0) {
            o.addProperty("line", p.line());
        }
        o.addProperty("reason", p.problem());
        return o;
    }
}
