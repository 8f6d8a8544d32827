package org.pneumolab.runtime;

import java.lang.reflect.Method;

import org.bytedeco.javacpp.Pointer;

/**
 * Gives the native memory that ND4J's arrays freed back to the operating system.
 *
 * <p>Why: ND4J frees an array's buffer with the C library's {@code free}, and glibc keeps what
 * was freed inside its arenas for the next {@code malloc} of the same thread's arena, so a process
 * that trained a detector stays resident at its peak long after the arrays are gone. JavaCPP
 * checks {@code maxphysicalbytes} against that resident size; near the limit every allocation
 * first runs its retry (a GC, a 100 ms sleep, {@code malloc_trim}), and at the limit it fails.
 * Measured (MemoryTrace, 7 Dec 2026): the paper RetinaNet and Faster R-CNN trained and run at
 * batch 8, then dropped and collected, left 6.1 GB resident; {@code malloc_trim} took it to 0.26
 * GB. The full bench after the detector stages sat at 12-14 GB resident with its models gone.
 *
 * <p>The trim itself is JavaCPP's ({@code Pointer.trimMemory}, {@code malloc_trim(0)} on
 * Linux), private in 1.5.7 and so reached by reflection; where it is missing this does nothing
 * and says so. Call it where a phase of work ends, never inside a loop: it walks every arena,
 * and the pages it returns are faulted in again by the next allocation.
 */
public final class NativeMemory {
    private static final Method TRIM = trimMethod();

    private NativeMemory() {
    }

    /** Resident sizes around one {@link #trim()}, in bytes; {@code trimmed}: a trim ran and glibc says it returned memory. */
    public record Trim(long residentBefore, long residentAfter, boolean trimmed) {
        /** The bytes given back (0 where none). */
        public long returned() {
            return Math.max(0, residentBefore - residentAfter);
        }
    }

    /**
     * Returns the C library's free memory to the operating system. Memory Java still holds
     * (arrays not yet collected) is not touched: collect first where the caller dropped models.
     */
    public static Trim trim() {
        long before = Pointer.physicalBytes();
        boolean done = false;
        if (TRIM != null) {
            try {
                done = (Boolean) TRIM.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                done = false;
            }
        }
        return new Trim(before, Pointer.physicalBytes(), done);
    }

    /** Whether {@link #trim()} can trim here (JavaCPP's method found). */
    public static boolean available() {
        return TRIM != null;
    }

    private static Method trimMethod() {
        try {
            Method m = Pointer.class.getDeclaredMethod("trimMemory");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
