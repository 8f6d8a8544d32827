/*
 * Derived from rapaio-jupyter-kernel 3.0.1 (MIT License, Copyright 2023 Aurelian Tutuianu);
 * see org/rapaio/jupyter/kernel/channels/Channels.java for the notice.
 */
package org.rapaio.jupyter.kernel.core.java;

import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.ClosedByInterruptException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import org.pneumolab.notebook.CellInterrupt;
import org.pneumolab.notebook.CellInterruptedException;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * Replaces rapaio-jupyter-kernel 3.0.1's {@code RapaioExecutionControl}: an interrupt stops the
 * running cell and leaves the kernel working, as in IPython.
 *
 * <p>The original cancelled the cell's future (so the cell "ended" while its code kept running),
 * then shut its executor down for good; every later cell got an {@code ok} reply and ran nothing.
 * Here an interrupt (1) raises {@link CellInterrupt}'s flag, which lib's loops check once per
 * batch, and interrupts the cell's thread, which ends a sleep or a blocking wait; (2) waits for the
 * cell to really end, so no code of an interrupted cell runs under the next one; (3) stops the
 * thread by force (as JShell's own local execution does) when it still runs after
 * {@value #GRACE_MILLIS} ms outside a lib loop, or at once on a second interrupt. A forced stop
 * lands when native code in flight returns to Java. The executor lives on; the JShell state
 * (every variable) is kept.
 *
 * <p>An interrupt ends exactly the execution it was sent to (issue #26): it acts only while that
 * execution's code runs, the flag it raises belongs to that notebook cell, and the thread's
 * interrupt status is cleared before the (reused) worker runs anything else.
 */
public class RapaioExecutionControl extends DirectExecutionControl {

    public static final String TIMEOUT_MARKER = "## Timeout Marker ##";
    public static final String INTERRUPTED_MARKER = "## Interrupted Marker ##";
    static final long GRACE_MILLIS = 2000;

    private static final Logger LOGGER = Logger.getLogger(RapaioExecutionControl.class.getSimpleName());
    private static final AtomicInteger ID = new AtomicInteger(0);

    /**
     * One execution (a snippet of a cell). Its lock orders the interrupt against the end of the
     * execution: an interrupt acts only while {@code thread} runs this execution's code, and the
     * execution clears whatever interrupt reached its thread before the thread moves on.
     */
    private static final class Cell {
        /** The notebook cell this execution belongs to ({@link CellInterrupt#currentCell()}). */
        final long notebookCell = CellInterrupt.currentCell();
        Thread thread;  // guarded by this
        volatile int interrupts;
    }

    // One long-lived worker is reused across cells (ND4J keeps per-thread workspaces); a cell
    // stopped by force frees its worker too.
    private final ExecutorService executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.MINUTES,
            new SynchronousQueue<>(), r -> daemon(r, "Engine-thread-" + ID.getAndIncrement()));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "Interrupt-watchdog"));
    private final long timeoutTime;
    private final Map<String, Cell> running = new ConcurrentHashMap<>();
    private final Map<String, Object> results = new ConcurrentHashMap<>();

    public RapaioExecutionControl(long timeoutTime) {
        this.timeoutTime = timeoutTime;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public long getTimeout() {
        return timeoutTime;
    }

    public Object takeResult(String key) {
        Object result = results.remove(key);
        if (result == null) {
            throw new IllegalStateException("No result with key: " + key);
        }
        return result;
    }

    @Override
    protected String invoke(Method methodCall) throws Exception {
        String id = UUID.randomUUID().toString();
        Object value = execute(id, methodCall);
        results.put(id, value);
        return id;
    }

    private Object execute(String id, Method methodCall) throws Exception {
        if (CellInterrupt.isRequested()) {
            // The interrupt came while JShell compiled this snippet: the cell's remaining snippets do not run.
            throw new UserException("Execution interrupted.", INTERRUPTED_MARKER, new StackTraceElement[0]);
        }
        Cell cell = new Cell();
        FutureTask<Object> task = new FutureTask<>(() -> {
            synchronized (cell) {
                cell.thread = Thread.currentThread();
            }
            try {
                return methodCall.invoke(null);
            } finally {
                synchronized (cell) {
                    cell.thread = null;
                    // An interrupt that reached this thread after the code's last blocking call (or
                    // that lib's checkpoint turned into an exception) ends here: the worker is reused,
                    // and the next execution's first wait would otherwise throw at once.
                    Thread.interrupted();
                }
            }
        });
        running.put(id, cell);
        boolean timedOut = false;
        try {
            executor.execute(task);
            if (timeoutTime > 0) {
                try {
                    return task.get(timeoutTime, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    timedOut = true;
                    interrupt(cell);
                }
            }
            // Never cancelled: this returns only when the cell's code has really ended.
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException) {
                cause = cause.getCause();
            }
            if (cell.interrupts > 0 && causedByInterrupt(cause)) {
                throw new UserException(timedOut ? "Execution timed out" : "Execution interrupted.",
                        timedOut ? TIMEOUT_MARKER : INTERRUPTED_MARKER, cause.getStackTrace());
            }
            if (cause == null) {
                throw new UserException("null", "Unknown Invocation Exception", e.getStackTrace());
            } else if (cause instanceof SPIResolutionException spiResCause) {
                throw new ResolutionException(spiResCause.id(), cause.getStackTrace());
            } else {
                throw new UserException(cause.getMessage(), cause.getClass().getName(), cause.getStackTrace());
            }
        } finally {
            running.remove(id);
        }
    }

    static boolean causedByInterrupt(Throwable t) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof InterruptedException || t instanceof CellInterruptedException
                    || t instanceof ThreadDeath || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** Kernel > Interrupt: stops the running cell (see the class comment). */
    public void interrupt() {
        running.values().forEach(this::interrupt);
    }

    /**
     * Everything happens under the execution's lock and only while its code runs: the worker
     * thread is reused, so an interrupt (or a forced stop) decided for an execution that has just
     * ended would otherwise land in the next one.
     */
    private void interrupt(Cell cell) {
        synchronized (cell) {
            int n = ++cell.interrupts;
            Thread t = cell.thread;
            if (t == null) {
                return;
            }
            if (n == 1) {
                // the thread before the flag: see CellInterrupt.checkpoint()
                t.interrupt();
                CellInterrupt.request(cell.notebookCell);
                watchdog.schedule(() -> {
                    synchronized (cell) {
                        if (cell.thread == t && !CellInterrupt.cooperating()) {
                            forceStop(t, "still running " + GRACE_MILLIS + " ms after the interrupt");
                        }
                    }
                }, GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                CellInterrupt.request(cell.notebookCell);
                forceStop(t, "interrupted again");
            }
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void forceStop(Thread t, String why) {
        LOGGER.warning("stopping the cell's thread by force: " + why);
        try {
            t.stop();
        } catch (UnsupportedOperationException e) {  // Java 20+: Thread.stop is gone
            LOGGER.warning("this Java cannot stop a thread by force; the cell ends when its code checks for interrupts");
        }
    }

    /**
     * JShell's {@code stop()}. rapaio's engine calls it after {@link #interrupt()}; the original shut
     * the executor down here, which left the kernel unable to run anything. The interrupt does all
     * the work, so this does nothing.
     */
    @Override
    public void stop() {
    }

    @Override
    public void close() {
        executor.shutdownNow();
        watchdog.shutdownNow();
        super.close();
    }
}
