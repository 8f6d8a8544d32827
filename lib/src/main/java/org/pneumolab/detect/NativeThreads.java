package org.pneumolab.detect;

import java.lang.management.ManagementFactory;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many OpenMP threads ND4J's native ops use for the detectors. Measured on the shared 2-core
 * machine (load ~10): a sample RetinaNet step took 4.8 s with OpenMP's default 2 threads and
 * 0.6 s with 1. With more runnable processes than cores, one OpenMP thread is regularly
 * descheduled and every parallel region's barrier waits for it, hundreds of times per step; a
 * single thread never waits. So: {@code PNEUMO_THREADS} (environment) or {@code pneumo.threads}
 * (system property) when set, else 1 thread when the machine is already busy (load average at
 * least the core count) and all cores otherwise. Decided once per JVM, so a session's runs use
 * one setting. OpenMP keeps the count per calling thread, hence {@link #apply()} at the start of
 * every training step and inference call (a cheap native call).
 */
public final class NativeThreads {
    private static volatile int chosen;

    private NativeThreads() {
    }

    /** The thread count in use (decided on first call). */
    public static int count() {
        int n = chosen;
        if (n == 0) {
            n = decide();
            chosen = n;
        }
        return n;
    }

    /** Applies {@link #count()} to the calling thread's native ops; returns it. */
    public static int apply() {
        int n = count();
        Nd4j.getEnvironment(); // make sure the native backend is loaded
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        return n;
    }

    /** Why {@link #count()} is what it is, for notebooks and reports. */
    public static String describe() {
        String set = configured();
        int cores = Runtime.getRuntime().availableProcessors();
        if (set != null) {
            return count() + " native thread(s) (set by PNEUMO_THREADS / pneumo.threads)";
        }
        return count() + " native thread(s) of " + cores + " cores (load average "
                + String.format(java.util.Locale.ROOT, "%.1f", load()) + " when decided; set PNEUMO_THREADS to override)";
    }

    private static String configured() {
        String s = System.getProperty("pneumo.threads");
        return s != null && !s.isBlank() ? s : System.getenv("PNEUMO_THREADS");
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static int decide() {
        int cores = Runtime.getRuntime().availableProcessors();
        String s = configured();
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("PNEUMO_THREADS / pneumo.threads must be a positive integer, got '" + s + "'");
        }
        return load() >= cores ? 1 : cores;
    }
}
