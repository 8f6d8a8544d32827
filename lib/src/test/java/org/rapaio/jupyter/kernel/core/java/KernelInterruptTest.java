package org.rapaio.jupyter.kernel.core.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jdk.jshell.spi.ExecutionControl;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pneumolab.notebook.CellInterrupt;
import org.pneumolab.notebook.ProgressBar;

/**
 * lib's replacement for the kernel's execution control (see its Javadoc): Kernel > Interrupt ends
 * a sleeping cell, a cell in a lib loop and a cell in a loop that never checks, and the next cell
 * runs on the same control.
 */
class KernelInterruptTest {
    private final RapaioExecutionControl control = new RapaioExecutionControl(-1);

    public static volatile long spins;

    public static Object sleeper() throws InterruptedException {
        Thread.sleep(60_000);
        return "slept";
    }

    public static Object libLoop() {
        try (ProgressBar bar = ProgressBar.silent("loop", 0)) {
            for (long i = 0; i < Long.MAX_VALUE; i++) {
                spin(100_000);
                bar.step();
            }
        }
        return "looped";
    }

    public static Object busy() {
        while (true) {
            spin(1_000);
        }
    }

    public static Object quick() {
        return "ok";
    }

    /** Where the lib loops below write, as a trainer writes its checkpoint (through a FileChannel). */
    public static volatile java.nio.file.Path scratch;
    public static volatile String cleanup;

    private static void writeThroughChannel(String what) throws java.io.IOException {
        try (var ch = java.nio.channels.FileChannel.open(scratch, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(what.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /**
     * A lib loop that, as it unwinds from the interrupt, does what a trainer's cleanup does: waits a
     * moment (closing batch threads, redrawing its bar) and writes a file through a FileChannel.
     */
    public static Object libLoopWithCleanup() {
        try (ProgressBar bar = ProgressBar.silent("loop", 0)) {
            for (long i = 0; i < Long.MAX_VALUE; i++) {
                spin(100_000);
                bar.step();
            }
        } finally {
            long until = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < until) {
                spin(1_000);
            }
            try {
                writeThroughChannel("cleanup");
                cleanup = "written";
            } catch (java.io.IOException e) {
                cleanup = e.toString();
            }
        }
        return "looped";
    }

    /** A lib loop that ends by itself, with a blocking wait and a channel write at every step. */
    public static Object libLoopToCompletion() throws Exception {
        try (ProgressBar bar = ProgressBar.silent("loop", 20)) {
            for (int i = 0; i < 20; i++) {
                Thread.sleep(2);
                writeThroughChannel("step " + i);
                bar.step();
            }
        }
        return "completed";
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            spins++;
        }
    }

    @AfterEach
    void close() {
        CellInterrupt.endCell();
        control.close();
    }

    private CompletableFuture<String> runCell(String method) throws Exception {
        Method m = KernelInterruptTest.class.getMethod(method);
        CellInterrupt.beginCell();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return control.invoke(m);
            } catch (ExecutionControl.UserException e) {
                return "user exception: " + e.causeExceptionClass();
            } catch (Exception e) {
                return "exception: " + e;
            }
        });
    }

    private double interruptAfter(CompletableFuture<String> cell, long millis) throws Exception {
        Thread.sleep(millis);
        long t0 = System.nanoTime();
        control.interrupt();  // in the order of the kernel's interrupt handler (Channels)
        CellInterrupt.requestIfRunning();
        String outcome = cell.get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals("user exception: " + RapaioExecutionControl.INTERRUPTED_MARKER, outcome);
        CellInterrupt.endCell();
        return seconds;
    }

    private void nextCellRuns() throws Exception {
        String key = runCell("quick").get(30, TimeUnit.SECONDS);
        assertEquals("ok", control.takeResult(key));
        CellInterrupt.endCell();
    }

    private void nextLibLoopRunsToCompletion() throws Exception {
        String key = runCell("libLoopToCompletion").get(30, TimeUnit.SECONDS);
        assertEquals("completed", control.takeResult(key), "a lib loop after the interrupt");
        CellInterrupt.endCell();
        // and the cell after it, once more, on the same (reused) worker
        String again = runCell("libLoopToCompletion").get(30, TimeUnit.SECONDS);
        assertEquals("completed", control.takeResult(again));
        CellInterrupt.endCell();
    }

    /**
     * Issue #26: after Kernel > Interrupt stopped a lib loop, the loop's own cleanup and the next
     * execution that runs a lib loop (the rerun of a training cell) must see no trace of it,
     * whether the interrupt stopped a lib loop, a sleep, or forced a stop.
     */
    @Test
    void interruptEndsExactlyTheExecutionItWasSentTo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        scratch = tmp.resolve("checkpoint.bin");
        cleanup = null;
        assertTrue(interruptAfter(runCell("libLoopWithCleanup"), 300) < 2.0);
        assertEquals("written", cleanup, "the interrupted loop's cleanup wrote its file");
        nextLibLoopRunsToCompletion();
        assertTrue(interruptAfter(runCell("sleeper"), 300) < 1.0);
        nextLibLoopRunsToCompletion();
        interruptAfter(runCell("busy"), 300);
        nextLibLoopRunsToCompletion();
    }

    @Test
    void anInterruptForACellThatHasEndedMarksNoOtherCell() {
        CellInterrupt.beginCell();
        long first = CellInterrupt.currentCell();
        CellInterrupt.endCell();
        CellInterrupt.request(first);  // on its way while the cell ended
        CellInterrupt.beginCell();
        CellInterrupt.request(first);  // ... or while the next one began
        assertTrue(!CellInterrupt.isRequested(), "the next cell is not interrupted");
        ProgressBar.silent("next cell", 1).step();
        CellInterrupt.request(CellInterrupt.currentCell());
        assertTrue(CellInterrupt.isRequested());
        CellInterrupt.endCell();
    }

    @Test
    void sleepEndsAtOnceAndTheNextCellRuns() throws Exception {
        assertTrue(interruptAfter(runCell("sleeper"), 300) < 1.0);
        nextCellRuns();
    }

    @Test
    void libLoopStopsAtItsNextStep() throws Exception {
        assertTrue(interruptAfter(runCell("libLoop"), 300) < 1.0);
        nextCellRuns();
    }

    @Test
    void loopThatNeverChecksIsStoppedAfterTheGracePeriod() throws Exception {
        double seconds = interruptAfter(runCell("busy"), 300);
        assertTrue(seconds >= RapaioExecutionControl.GRACE_MILLIS / 1000.0 * 0.9 && seconds < 10, "took " + seconds + " s");
        nextCellRuns();
    }

    @Test
    void interruptBetweenCellsConcernsNoCell() throws Exception {
        CellInterrupt.requestIfRunning();
        assertTrue(!CellInterrupt.isRequested());
        nextCellRuns();
        ProgressBar.silent("after", 1).step();  // no CellInterruptedException
    }

    @Test
    void interruptedCellStopsBeforeItsNextSnippet() throws Exception {
        CellInterrupt.beginCell();
        CellInterrupt.requestIfRunning();
        ExecutionControl.UserException e = assertThrows(ExecutionControl.UserException.class,
                () -> control.invoke(KernelInterruptTest.class.getMethod("quick")));
        assertEquals(RapaioExecutionControl.INTERRUPTED_MARKER, e.causeExceptionClass());
    }
}
