package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineLoadTest {
    private static final String STAT_0 = "cpu  1000 10 200 5000 30 0 40 15 0 0\ncpu0 500 5 100 2500 15 0 20 7 0 0\n";
    private static final String STAT_1 = "cpu  1300 10 250 5100 30 0 50 65 0 0\ncpu0 650 5 125 2550 15 0 25 32 0 0\n";
    private static final String MEM = "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   12000000 kB\n";

    @Test
    void busyCountsUserNiceSystemIrqSoftirqButNotIdleOrIowait() {
        MachineLoad a = MachineLoad.parse(STAT_0, MEM);
        assertEquals(1000 + 10 + 200 + 0 + 40, a.busyTicks());
        assertEquals(15, a.stealTicks());
        assertEquals(12000000L * 1024, a.availableBytes());
    }

    @Test
    void sinceSaysTheBusyAndStolenSecondsBetweenTwoSnapshots() {
        String s = MachineLoad.parse(STAT_1, MEM).since(MachineLoad.parse(STAT_0, MEM));
        // busy: 300 user + 50 system + 10 softirq = 360 ticks; steal 50 ticks
        assertTrue(s.contains("3.6 s CPU busy"), s);
        assertTrue(s.contains("0.5 s stolen"), s);
        assertTrue(s.contains("12.3 GB available"), s);
    }

    @Test
    void readsThisMachineWhereThereIsAProcStat() {
        MachineLoad now = MachineLoad.now();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/stat"))) {
            assertTrue(now != null && now.busyTicks() > 0, String.valueOf(now));
        }
    }
}
