package org.pneumolab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * lib's replacement for the kernel's LoopThread (see its Javadoc): every started loop runs its
 * body, however the threads are scheduled, and stops when asked.
 */
class KernelLoopThreadTest {

    @Test
    void everyStartedLoopRunsItsBodyAndStopsOnShutdown() throws Exception {
        int n = 400;
        CountDownLatch ran = new CountDownLatch(n);
        List<LoopThread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean[] counted = new boolean[1];
            LoopThread t = new LoopThread("loop-" + i, 1, () -> {
                if (!counted[0]) {
                    counted[0] = true;
                    ran.countDown();
                }
            });
            threads.add(t);
            t.start();
        }
        assertTrue(ran.await(30, TimeUnit.SECONDS), ran.getCount() + " loops never ran their body");
        threads.forEach(LoopThread::shutdown);
        for (LoopThread t : threads) {
            t.join(5_000);
        }
        assertEquals(0, threads.stream().filter(Thread::isAlive).count(), "loops stop after shutdown");
    }

    @Test
    void theKernelClassOnTheClassPathIsLibs() {
        String where = LoopThread.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(where.contains("lib/target/classes") || where.contains("pneumolab-lib"), where);
    }
}
