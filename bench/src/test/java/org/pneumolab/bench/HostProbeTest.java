package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * {@link HostProbe}: the verdict on a row's readings, a probe that sees a host made busy by other
 * threads, and a guarded row whose spread came with an unsteady host saying so beside its verdict.
 */
class HostProbeTest {

    @Test
    void readingsWithinTheMarginAreSteadyAndOneAboveItIsNamed() {
        assertNull(HostProbe.unsteadiness(List.of(100L, 110L, 124L), 100));
        String why = HostProbe.unsteadiness(List.of(100L, 130L, 240L), 100);
        assertNotNull(why);
        assertTrue(why.contains("2.40x"), why);
        assertTrue(why.contains("2 of 3 readings"), why);
        assertNull(HostProbe.unsteadiness(List.of(), 100), "no readings, no verdict");
    }

    @Test
    void theChainIsTheSameWorkEveryTime() {
        assertEquals(HostProbe.chain(7, 1000), HostProbe.chain(7, 1000));
        assertTrue(HostProbe.chain(7, 1000) != HostProbe.chain(8, 1000));
    }

    /** Twice as many spinning threads as cores: the probe's cores are shared three ways or more. */
    @Test
    void aHostBusyWithOtherThreadsReadsSlower() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        HostProbe probe = HostProbe.start(cores);
        long idle = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            idle = Math.min(idle, probe.read());
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < 2 * cores; i++) {
            Thread t = new Thread(() -> {
                long h = 1;
                while (!stop.get()) {
                    h = HostProbe.chain(h, 10_000);
                }
            });
            t.setDaemon(true);
            t.start();
            hogs.add(t);
        }
        try {
            Thread.sleep(100);
            long busy = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                busy = Math.min(busy, probe.read()); // the best of three: the hogs must slow every one
            }
            assertTrue(busy >= HostProbe.UNSTEADY * idle, "busy " + busy / 1e6 + " ms vs idle " + idle / 1e6 + " ms");
        } finally {
            stop.set(true);
            for (Thread t : hogs) {
                t.join();
            }
        }
    }

    /** A row that spreads while the host probe reads slow: still unreliable, and it says the host was unsteady. */
    @Test
    void anUnreliableRowOnAnUnsteadyHostSaysSo() {
        HostProbe probe = HostProbe.start(1);
        AtomicBoolean hog = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        // every other call of the contestant is slow (a spread no rerun cures), and from the second
        // sample on other threads keep every core busy, so the probe before it reads slow
        int[] calls = {0};
        Contestant flaky = new Contestant("flaky", true, () -> {
            calls[0]++;
            if (calls[0] == 2 && !hog.getAndSet(true)) {
                for (int i = 0; i < 3 * cores; i++) {
                    Thread t = new Thread(() -> {
                        long h = 1;
                        while (hog.get()) {
                            h = HostProbe.chain(h, 10_000);
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                    hogs.add(t);
                }
            }
            return calls[0] % 2 == 0 ? 100.0 : 50.0;
        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            List<Harness.Outcome> out = new Harness(4, false, true, null, 0,
                    new PrintStream(log, true, StandardCharsets.UTF_8), System::nanoTime, null, probe)
                    .run(new Comparison("row", "x/s", List.of(flaky), null));
            String why = out.get(0).unreliable();
            assertNotNull(why, "a 2x spread is unreliable");
            assertTrue(why.contains("the host was unsteady"), why);
        } finally {
            hog.set(false);
            for (Thread t : hogs) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
