package org.pneumolab.notebook;

/** Thrown by {@link CellInterrupt#checkpoint()} in the cell that the user interrupted. */
public final class CellInterruptedException extends RuntimeException {
    public CellInterruptedException() {
        super("interrupted (Kernel > Interrupt); the work done up to the last finished step is kept");
    }
}
