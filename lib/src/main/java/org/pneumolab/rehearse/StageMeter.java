package org.pneumolab.rehearse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Pointer;

/**
 * Measures one stage of a rehearsal: wall time, the process's peak resident memory (VmHWM, reset
 * at the stage's start through {@code /proc/self/clear_refs}, so each stage reports its own
 * peak), the Java heap's peak (pool peaks reset at the start) and the peak of memory outside the
 * heap (resident size minus the heap in use, sampled every 50 ms: ND4J's arrays and native
 * libraries plus the JVM's own code and metadata, and an upper bound because heap pages touched
 * before a collection stay resident; ND4J's CPU allocations are not all visible to JavaCPP's
 * counters, so the resident size is what is measured), and the disk used by the folders named.
 */
final class StageMeter implements AutoCloseable {
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final Path STATUS = Path.of("/proc/self/status");

    private final long t0 = System.nanoTime();
    private final long cpu0 = cpuNanos();
    private final boolean hwmReset;
    private volatile long offHeapPeak = offHeapNow();
    private volatile boolean running = true;
    private final Thread sampler;

    StageMeter() {
        hwmReset = resetHwm();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        sampler = new Thread(() -> {
            while (running) {
                offHeapPeak = Math.max(offHeapPeak, offHeapNow());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pneumolab-stage-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Resident size minus the heap in use: (at most) what lives outside the Java heap now. */
    private static long offHeapNow() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return Math.max(0, Pointer.physicalBytes() - heap);
    }

    /** Writes "5" to clear_refs (Linux 4.0+): resets VmHWM to the current resident size. */
    private static boolean resetHwm() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The reading so far; {@code disk} folders are measured now. */
    Measured read(List<Path> disk) {
        offHeapPeak = Math.max(offHeapPeak, offHeapNow());
        long heap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                heap += p.getPeakUsage().getUsed();
            }
        }
        long bytes = 0;
        for (Path d : disk) {
            bytes += du(d);
        }
        return new Measured((System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9, hwm(), hwmReset, heap, offHeapPeak,
                bytes);
    }

    /** CPU time of the whole process (every thread, native ones included), in nanoseconds. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** VmHWM in bytes, or -1 where /proc is not there. */
    static long hwm() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static long du(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file removed while walking (an atomic write's temporary)
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    /**
     * @param hwmIsStagePeak false where VmHWM could not be reset: then it is the process's peak so far
     */
    record Measured(double seconds, double cpuSeconds, long vmHwm, boolean hwmIsStagePeak, long heapPeak, long offHeapPeak,
                    long diskBytes) {
    }
}
