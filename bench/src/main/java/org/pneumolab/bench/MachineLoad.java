package org.pneumolab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The whole machine's CPU time from {@code /proc/stat}, to say what else ran while a peer's
 * standalone twin was timed: the twin is meant to run alone, and a figure slowed by another
 * process, by the host taking the vCPUs (steal) or by memory reclaim (kswapd) must be told apart
 * from one slowed by the twin itself. Linux only; elsewhere {@link #now()} is null.
 *
 * @param busyTicks user, nice, system, irq and softirq ticks over all cores
 * @param stealTicks ticks the hypervisor ran something else on our vCPUs
 * @param availableBytes MemAvailable when the snapshot was taken
 */
record MachineLoad(long busyTicks, long stealTicks, long availableBytes) {
    /** USER_HZ: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100;

    static MachineLoad now() {
        try {
            return parse(Files.readString(Path.of("/proc/stat")), Files.readString(Path.of("/proc/meminfo")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static MachineLoad parse(String stat, String meminfo) {
        String[] f = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow().trim().split("\\s+");
        long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long available = meminfo.lines().filter(l -> l.startsWith("MemAvailable:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D+", "")) * 1024).orElse(-1L);
        return new MachineLoad(busy, steal, available);
    }

    /** What the machine did since {@code start}, in words for the log. */
    String since(MachineLoad start) {
        return String.format(Locale.ROOT, "the machine: %.1f s CPU busy (every process), %.1f s stolen by the host, "
                        + "%.1f GB available at the start", (busyTicks - start.busyTicks) / TICKS_PER_SECOND,
                (stealTicks - start.stealTicks) / TICKS_PER_SECOND, start.availableBytes / 1e9);
    }
}
