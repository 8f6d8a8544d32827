package org.pneumolab.notebook;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kernel > Interrupt for lib's long loops. The kernel calls {@link #request()} (and interrupts the
 * cell's thread, which ends a sleep or a blocking wait at once); lib's loops call
 * {@link #checkpoint()} once per unit of work, through {@link ProgressBar} and
 * {@link TrainingMonitor}, so a training loop or a featurize pass stops between two batches,
 * leaving its model in the state of the last finished step. That keeps the variables usable: an
 * interrupted model can go on training.
 *
 * <p>A flag rather than the thread's interrupt status alone, because parallel workers (threads of
 * their own) report progress too, and because ND4J and NIO code may swallow or act on the interrupt
 * status (an interrupted {@code FileChannel} closes itself).
 */
public final class CellInterrupt {
    private static volatile boolean requested;
    private static volatile boolean cellRunning;
    private static final AtomicInteger COOPERATING = new AtomicInteger();

    private CellInterrupt() {
    }

    /** Throws {@link CellInterruptedException} when the running cell was interrupted. */
    public static void checkpoint() {
        if (requested) {
            throw new CellInterruptedException();
        }
    }

    /** True after {@link #request()} until the interrupted cell ends. */
    public static boolean isRequested() {
        return requested;
    }

    /** Called by the kernel when the user interrupts the running cell. */
    public static void request() {
        requested = true;
    }

    /** Called by the kernel on an interrupt request: marks the running cell, if any. */
    public static synchronized void requestIfRunning() {
        if (cellRunning) {
            requested = true;
        }
    }

    /** Called by the kernel before each cell. */
    public static synchronized void beginCell() {
        requested = false;
        COOPERATING.set(0);  // loops of earlier cells have ended, even one whose bar was never closed
        cellRunning = true;
    }

    /** Called by the kernel after each cell: an interrupt that comes later concerns no cell. */
    public static synchronized void endCell() {
        cellRunning = false;
        requested = false;
    }

    /**
     * True while a loop that calls {@link #checkpoint()} runs (an open {@link ProgressBar}): the
     * kernel then waits for it instead of stopping the thread by force, which could leave a model
     * half-updated.
     */
    public static boolean cooperating() {
        return COOPERATING.get() > 0;
    }

    static void enterLoop() {
        COOPERATING.incrementAndGet();
    }

    static void exitLoop() {
        COOPERATING.decrementAndGet();
    }
}
