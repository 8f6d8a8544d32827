package org.pneumolab.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The process's native thread policy, decided here once and applied by every caller of native
 * work (the detectors' training steps and inference calls, the data pipeline's prefetch workers);
 * models never decide it.
 * How many OpenMP threads ND4J's native ops use: {@code PNEUMO_THREADS}
 * (environment) or {@code pneumo.threads} (system property) when set; otherwise 1 in the
 * sample profile and every core in the paper profile.
 * <p>
 * Why a fixed rule and not the machine's load (an earlier version took 1 thread when the load
 * average reached the core count): the thread count changes the order of floating-point sums,
 * and over a few hundred training steps that changes the trained detector, so a rerun on a busier
 * or quieter machine gave different numbers from the same seed. A fixed count makes reruns on one
 * machine bit-identical. One thread is also the faster choice at sample size on the 2-core
 * machines we have: DetectionStudyTest took 11.2 s with 1 thread against 19.8 s with 2 on a quiet
 * machine, and a sample RetinaNet step 0.6 s against 4.8 s on a busy one (load ~10), because
 * every small parallel region's barrier waits for a descheduled OpenMP thread. The paper profile's
 * ResNet50 at 224 px has tensors big enough to use the cores. Decided on first use from
 * PNEUMO_PROFILE, or by a detection study's own profile ({@link #useProfile}); OpenMP keeps
 * the count per calling thread, and notebook cells and worker threads are new threads, hence
 * {@link #apply()} at the start of every training step and inference call and in every prefetch
 * worker (a cheap native call).
 */
public final class NativeThreads {
    private static volatile int chosen;
    private static volatile Profile decidedFor = null;

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

    /**
     * Takes the default for {@code profile} (the study's, which a notebook's parameter cell may set
     * without touching PNEUMO_PROFILE) unless PNEUMO_THREADS / pneumo.threads says otherwise.
     * Returns the count now in use.
     */
    public static synchronized int useProfile(Profile profile) {
        if (configured() == null) {
            chosen = defaultFor(profile);
            decidedFor = profile;
        }
        return count();
    }

    private static int defaultFor(Profile profile) {
        return profile == Profile.SAMPLE ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** Applies {@link #count()} to the calling thread's native ops; returns it. */
    public static int apply() {
        int n = count();
        Nd4j.getEnvironment(); // make sure the native backend is loaded
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        return n;
    }

    /**
     * The thread count for training made of many small operations: a classification head's steps
     * on cached features (a dense layer of 64 units, dropout, batch norm and softmax on a batch of
     * 32). One, unless PNEUMO_THREADS / pneumo.threads sets a count for everything (read on every
     * call).
     * <p>
     * Why one: each of those operations is a parallel region whose barrier waits for the second
     * thread, which the JIT and the GC also want, and on one of our hosts a core left idle between
     * regions ran its next milliseconds of work 1.4x slower. On the 2-core machines we measure on, a
     * head step ran at one thread in about half the time, and varied less (docs/PERF.md, "One thread
     * or two for the heads"): VGG16@150, 11-20 ms against 18-44 ms per step. A fixed count also
     * makes a head's weights the same on machines with any number of cores, as {@link #count()}
     * does for the detectors (given the same features: those come from the featurize pass, at
     * the process's count). The featurize pass, the fine-tuning step (big convolutions) and a
     * head's validation pass (one large product) keep the process's own count (every core unless
     * set): there two threads were faster.
     */
    public static int smallStepCount() {
        // read on every call (not cached as count() is), so a diagnostic can compare counts in one JVM
        return configured() != null ? parse(configured()) : 1;
    }

    /**
     * Runs {@code work} on the calling thread with {@link #smallStepCount()} native threads and
     * gives the calling thread back the count it had before, also when {@code work} throws.
     */
    public static <T> T withSmallStepThreads(java.util.function.Supplier<T> work) {
        Nd4j.getEnvironment(); // make sure the native backend is loaded
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(smallStepCount());
        try {
            return work.get();
        } finally {
            ops.setOmpNumThreads(before);
        }
    }

    /** Why {@link #count()} is what it is, for notebooks and reports. */
    public static String describe() {
        if (configured() != null) {
            return count() + " native thread(s) (set by PNEUMO_THREADS / pneumo.threads)";
        }
        int n = count();
        Profile p = decidedFor == null ? Profile.current() : decidedFor;
        return n + " native thread(s) of " + Runtime.getRuntime().availableProcessors() + " cores ("
                + p.name().toLowerCase(java.util.Locale.ROOT)
                + " profile default, the same on every run; set PNEUMO_THREADS to override)";
    }

    private static String configured() {
        String s = System.getProperty("pneumo.threads");
        if (s == null || s.isBlank()) {
            s = System.getenv("PNEUMO_THREADS");
        }
        return s == null || s.isBlank() ? null : s;
    }

    static int decide() {
        String s = configured();
        if (s != null) {
            return parse(s);
        }
        decidedFor = Profile.current();
        return defaultFor(decidedFor);
    }

    private static int parse(String s) {
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
}
