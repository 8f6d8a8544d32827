package org.pneumolab.classify.study;

import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Wall time of each step of a study, in the order they ran, to show where the minutes go. */
public final class StepTimes {
    /** One timed step. */
    public record Step(String name, double seconds) {
    }

    private final List<Step> steps = new ArrayList<>();

    /** Records a step that started at {@code startNanos} ({@link System#nanoTime()}) and ends now. */
    public synchronized void record(String name, long startNanos) {
        steps.add(new Step(name, (System.nanoTime() - startNanos) / 1e9));
    }

    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Seconds of the first step whose name starts with {@code prefix}, NaN if none ran. */
    public synchronized double seconds(String prefix) {
        return steps.stream().filter(s -> s.name().startsWith(prefix)).mapToDouble(Step::seconds).findFirst()
                .orElse(Double.NaN);
    }

    /** One row per step: its name and its wall time with a unit ("2 min 13 s", "850 ms"). */
    public synchronized Table table() {
        return Table.create("Wall time per step",
                StringColumn.create("step", steps.stream().map(Step::name).toList()),
                StringColumn.create("wall time", steps.stream().map(s -> org.pneumolab.report.Format.seconds(s.seconds())).toList()));
    }
}
