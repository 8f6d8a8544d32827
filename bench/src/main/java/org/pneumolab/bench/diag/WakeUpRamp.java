package org.pneumolab.bench.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.pneumolab.bench.HostProbe;

/**
 * How fast a core runs its first milliseconds of work after sitting idle: {@code threads} tasks of
 * {@link HostProbe#chain} (4M steps, about 10 ms), started together after a pause of
 * {@code pauseMs}, optionally after {@code rampSteps} untimed steps each; prints the slowest
 * task's time over the fastest reading as median, 90th percentile and maximum of {@code n}
 * readings. The experiment behind {@link HostProbe#RAMP_ITERATIONS} and docs/PERF.md's "The host's
 * own steadiness". A main, not a test.
 * Run (after a build): java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
 * org.pneumolab.bench.diag.WakeUpRamp [threads] [n] [pauseMs] [rampSteps]
 */
public final class WakeUpRamp {
    private WakeUpRamp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long pauseMs = args.length > 2 ? Long.parseLong(args[2]) : 200;
        int ramp = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long sink = 0;
        List<Long> readings = new ArrayList<>();
        for (int k = 0; k < 40 + n; k++) { // the first 40: the JIT compiles the chain
            List<Future<long[]>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t + 1;
                fs.add(pool.submit(() -> {
                    long r = HostProbe.chain(seed + 7, ramp);
                    long t0 = System.nanoTime();
                    long h = HostProbe.chain(seed, 4_000_000);
                    return new long[] {System.nanoTime() - t0, h ^ r};
                }));
            }
            long slowest = 0;
            for (Future<long[]> f : fs) {
                long[] x = f.get();
                slowest = Math.max(slowest, x[0]);
                sink ^= x[1];
            }
            if (k >= 40) {
                readings.add(slowest);
            }
            Thread.sleep(pauseMs);
        }
        pool.shutdown();
        List<Long> s = new ArrayList<>(readings);
        s.sort(null);
        double f = s.get(0);
        System.out.printf(Locale.ROOT, "%d thread(s), pause %d ms, ramp %d steps: fastest %.1f ms; slowest task over the "
                        + "fastest: median %.2fx, p90 %.2fx, max %.2fx; %d of %d readings at %.2fx or more (%d)%n",
                threads, pauseMs, ramp, f / 1e6, s.get(n / 2) / f, s.get(n * 9 / 10) / f, s.get(n - 1) / f,
                s.stream().filter(v -> v / f >= HostProbe.UNSTEADY).count(), n, HostProbe.UNSTEADY, sink & 1);
    }
}
