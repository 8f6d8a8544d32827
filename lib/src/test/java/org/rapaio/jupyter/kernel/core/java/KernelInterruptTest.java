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
        CellInterrupt.requestIfRunning();
        control.interrupt();
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
