package org.pneumolab.notebook;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a long job. In a notebook it is a live HTML bar updated in place; headless it
 * prints a text line now and then (at most every few seconds, and at the end), so CI logs stay
 * short. Thread-safe: parallel workers may call {@link #advance} concurrently.
 *
 * <p>Every update is also an interrupt point ({@link CellInterrupt#checkpoint()}): Kernel > Interrupt
 * stops the loop that reports here before its next unit of work.
 */
public final class ProgressBar implements AutoCloseable {
    private static final long NOTEBOOK_INTERVAL_NANOS = 250_000_000L;
    private static final long TEXT_INTERVAL_NANOS = 5_000_000_000L;

    private final String task;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final DisplayHandle handle;
    private final PrintStream text;
    private long done;
    private String message = "";
    private long lastDrawNanos;
    private boolean closed;

    private ProgressBar(String task, long total, DisplayHandle handle, PrintStream text) {
        this.task = task;
        this.total = Math.max(0, total);
        this.handle = handle;
        this.text = text;
    }

    /** Starts a bar for {@code total} units of work (0 when unknown). */
    public static ProgressBar start(String task, long total) {
        CellInterrupt.enterLoop();
        if (Notebook.isActive()) {
            ProgressBar bar = new ProgressBar(task, total, null, null);
            return bar.withHandle(Notebook.html(bar.html()));
        }
        return new ProgressBar(task, total, null, System.err);
    }

    /** A bar that shows nothing, for library calls made inside another bar's work. */
    public static ProgressBar silent(String task, long total) {
        CellInterrupt.enterLoop();
        return new ProgressBar(task, total, null, null);
    }

    private ProgressBar withHandle(DisplayHandle h) {
        return new ProgressBar(task, total, h, null);
    }

    public synchronized void advance(long units) {
        CellInterrupt.checkpoint();
        done += units;
        maybeDraw(false);
    }

    public void step() {
        advance(1);
    }

    public synchronized void set(long units) {
        CellInterrupt.checkpoint();
        done = units;
        maybeDraw(false);
    }

    /** A short status shown after the counts, e.g. "loss 0.512". */
    public synchronized void message(String status) {
        CellInterrupt.checkpoint();
        message = status == null ? "" : status;
        maybeDraw(false);
    }

    public synchronized long done() {
        return done;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CellInterrupt.exitLoop();
            maybeDraw(true);
        }
    }

    private void maybeDraw(boolean force) {
        long now = System.nanoTime();
        long interval = handle != null ? NOTEBOOK_INTERVAL_NANOS : TEXT_INTERVAL_NANOS;
        if (!force && now - lastDrawNanos < interval) {
            return;
        }
        lastDrawNanos = now;
        if (handle != null) {
            handle.updateHtml(html());
        } else if (text != null) {
            text.println(textLine());
            text.flush();
        }
    }

    String textLine() {
        int width = 30;
        double frac = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.round(frac * width);
        String bar = total > 0 ? "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " : "";
        String counts = total > 0
                ? String.format(Locale.ROOT, "%3.0f%% %d/%d", frac * 100, done, total)
                : String.format(Locale.ROOT, "%d", done);
        return task + " " + bar + counts + " " + timing() + (message.isEmpty() ? "" : "  " + message);
    }

    private String html() {
        double pct = total > 0 ? Math.min(100.0, 100.0 * done / total) : 0;
        String counts = total > 0 ? done + " / " + total : String.valueOf(done);
        return "<div style=\"font-family:monospace\"><b>" + Html.escape(task) + "</b> "
                + "<progress value=\"" + String.format(Locale.ROOT, "%.1f", pct) + "\" max=\"100\" style=\"width:40%\"></progress> "
                + Html.escape(counts + "  " + timing()) + (message.isEmpty() ? "" : "  " + Html.escape(message))
                + "</div>";
    }

    private String timing() {
        long elapsed = System.nanoTime() - startNanos;
        String s = "elapsed " + format(Duration.ofNanos(elapsed));
        if (total > 0 && done > 0 && done < total) {
            long eta = (long) (elapsed * ((double) (total - done) / done));
            s += ", eta " + format(Duration.ofNanos(eta));
        }
        return s;
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
