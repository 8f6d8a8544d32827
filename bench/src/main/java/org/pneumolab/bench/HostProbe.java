package org.pneumolab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed piece of CPU work, timed between a row's samples, that says whether the host kept its
 * speed while the row ran. Why: on a shared virtual machine another tenant can slow our vCPUs
 * without the kernel counting it as steal (a sibling hyperthread, the shared cache and memory
 * bus). On 7 Dec 2026 (a 2-vCPU AMD EPYC, nothing else running, load under 2) a one-thread Python
 * loop of fixed work took 0.156 to 0.408 s from one run to the next, and the peer's standalone
 * twins of one row took 9.6 to 14.3 s; /proc/stat counted under 1% steal. A row that spreads
 * while this probe spreads too is the host's doing, not the code's, and the report says so.
 * <p>
 * The work: an integer hash chain on every core at once (one task per core), no memory traffic
 * beyond the caches, the same on every call, timed after an untimed ramp; a reading is the slowest
 * core's wall time. It runs only between samples, never inside one (about 30 ms each).
 */
public final class HostProbe {
    /** Iterations of the hash chain per core, timed: about 10 ms on a 2.6 GHz core once compiled. */
    static final int ITERATIONS = 4_000_000;
    /**
     * Iterations run first, untimed, on every core: about 20 ms. Why: on the machine this was
     * measured on, a vCPU idle for 50 ms or more runs its next ~20 ms of work slower (two cores,
     * 10 ms of work after a 200 ms pause: the slower core took 1.44x its fastest time in the median
     * of 100 readings; after a 5 ms pause 1.02x; after 200 ms with this ramp first, 1.02x). A
     * reading is meant to see the host's sustained speed, not how long the cores sat idle before.
     */
    public static final int RAMP_ITERATIONS = 8_000_000;
    /** A row whose probe read this much above the run's fastest reading ran on an unsteady host. */
    public static final double UNSTEADY = 1.25;

    private final int threads;
    private final ExecutorService pool;
    private final List<Long> all = new ArrayList<>();
    private long sink;

    private HostProbe(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-host-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A probe on {@code threads} cores (the bench passes every core), compiled and warmed, with
     * five readings taken already: the first row is judged against them, not only against itself.
     */
    static HostProbe start(int threads) {
        HostProbe p = new HostProbe(Math.max(1, threads));
        for (int i = 0; i < 40; i++) {
            p.readNanos(); // the JIT compiles the chain before any reading counts
        }
        for (int i = 0; i < 5; i++) {
            p.read();
        }
        return p;
    }

    /** The fixed work once on every core; returns the slowest core's nanoseconds. */
    private long readNanos() {
        List<Future<long[]>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t + 1;
            fs.add(pool.submit(() -> {
                long ramp = chain(seed + 7, RAMP_ITERATIONS);
                long t0 = System.nanoTime();
                long h = chain(seed, ITERATIONS);
                return new long[] {System.nanoTime() - t0, h ^ ramp};
            }));
        }
        long slowest = 0;
        for (Future<long[]> f : fs) {
            try {
                long[] r = f.get();
                slowest = Math.max(slowest, r[0]);
                sink ^= r[1];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("host probe interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("host probe failed", e.getCause());
            }
        }
        return slowest;
    }

    /** A dependent chain of multiply-xorshift steps: pure ALU work the JIT cannot skip or vectorise. */
    public static long chain(long seed, int n) {
        long h = seed;
        for (int i = 0; i < n; i++) {
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            h += i;
        }
        return h;
    }

    /** One reading, kept for the run's fastest; returns it in nanoseconds. */
    long read() {
        long n = readNanos();
        synchronized (all) {
            all.add(n);
        }
        return n;
    }

    /** The fastest reading of the run so far (the host's undisturbed speed), or 0 before any. */
    long fastest() {
        synchronized (all) {
            return all.stream().mapToLong(Long::longValue).min().orElse(0);
        }
    }

    /** Every reading so far. */
    List<Long> readings() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /**
     * What a row's readings say against the run's fastest: null when the host kept its speed
     * (every reading within {@link #UNSTEADY} of the fastest), else the words for the report.
     */
    static String unsteadiness(List<Long> row, long fastest) {
        if (row.isEmpty() || fastest <= 0) {
            return null;
        }
        long slowest = row.stream().mapToLong(Long::longValue).max().orElseThrow();
        double ratio = (double) slowest / fastest;
        if (ratio < UNSTEADY) {
            return null;
        }
        long slow = row.stream().filter(v -> (double) v / fastest >= UNSTEADY).count();
        return String.format(Locale.ROOT, "the host was unsteady meanwhile: a fixed CPU probe between samples ran up to "
                + "%.2fx its fastest time of the run (%d of %d readings at %.2fx or more)", ratio, slow, row.size(), UNSTEADY);
    }

    /** The run's readings in words, for the report's header (null before any). */
    String summary() {
        List<Long> r = readings();
        if (r.isEmpty()) {
            return null;
        }
        List<Long> s = new ArrayList<>(r);
        s.sort(null);
        long f = s.get(0);
        return String.format(Locale.ROOT, "host probe (fixed CPU work on %d core(s) between samples, %d readings): fastest "
                        + "%.1f ms, median %.2fx, slowest %.2fx the fastest; %d readings at %.2fx or more", threads, s.size(),
                f / 1e6, (double) s.get(s.size() / 2) / f, (double) s.get(s.size() - 1) / f,
                s.stream().filter(v -> (double) v / f >= UNSTEADY).count(), UNSTEADY);
    }

    long sink() {
        return sink;
    }
}
