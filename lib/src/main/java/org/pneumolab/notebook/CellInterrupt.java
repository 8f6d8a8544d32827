package org.pneumolab.notebook;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kernel > Interrupt for lib's long loops. The kernel calls {@link #request} (and interrupts the
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
    private static boolean cellRunning;
    private static long cell;  // the running cell's number, counted from 1; guarded by the class lock
    private static final AtomicInteger COOPERATING = new AtomicInteger();

    private CellInterrupt() {
    }

    /**
     * Throws {@link CellInterruptedException} when the running cell was interrupted. The thread's
     * interrupt status, which the kernel set together with the flag, is cleared first: the
     * interrupt has become this exception, and the code that unwinds (closing a bar redraws it
     * through the kernel's sockets, a trainer closes its batch threads, a cache writes through a
     * FileChannel) must not meet it again: an interrupted thread closes the NIO channel it
     * touches, so one left set would break that cleanup, or the next code to run on the thread.
     */
    public static void checkpoint() {
        if (requested) {
            Thread.interrupted();
            throw new CellInterruptedException();
        }
    }

    /** True after {@link #request} until the interrupted cell ends. */
    public static boolean isRequested() {
        return requested;
    }

    /** The running cell's number (a new one for each {@link #beginCell}), 0 between cells. */
    public static synchronized long currentCell() {
        return cellRunning ? cell : 0;
    }

    /**
     * Called by the kernel when the user interrupts cell {@code which} ({@link #currentCell()}
     * when its code started). Does nothing once that cell has ended: an interrupt that was on its
     * way while the cell finished must not land in the next one.
     */
    public static synchronized void request(long which) {
        if (cellRunning && which == cell) {
            requested = true;
        }
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
        cell++;
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
