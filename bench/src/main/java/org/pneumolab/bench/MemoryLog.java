package org.pneumolab.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import javax.management.ObjectName;

import org.bytedeco.javacpp.Pointer;
import org.pneumolab.runtime.NativeMemory;

/**
 * The bench's memory between rows and stages: the resident size in the log after every row, and
 * freed native memory given back to the system ({@link NativeMemory#trim}). Why: JavaCPP checks
 * its {@code maxphysicalbytes} against the resident size, and near it every allocation of the next
 * rows first sleeps and retries; full runs 9 and 10 failed at that limit, and run 11 sat at 12-14 GB
 * resident after the detector rows (docs/PERF.md, "The memory's owner").
 *
 * <p>Two diagnostics, off by default: {@code -Dpneumo.bench.liveModels=true} prints after every
 * stage how many models, graphs and ND4J buffers are still reachable (a live-object histogram,
 * which runs a full GC), so memory a stage leaves resident is known to be held from Java or
 * natively; with {@code -Dpneumo.bench.heapDump=FILE.hprof} as well, the first time a model
 * outlives its stage the heap goes to that file ({@code bench/scripts/hprof-path.py} finds who
 * holds it). That is how a detached row's lambda was found keeping every detector alive.
 */
final class MemoryLog {
    private final PrintStream log;
    private final boolean liveModels = Boolean.getBoolean("pneumo.bench.liveModels");
    private final String heapDump = System.getProperty("pneumo.bench.heapDump");
    private boolean dumped;

    MemoryLog(PrintStream log) {
        this.log = log;
    }

    /** After a row (its caches already released): the resident size, then the trim. */
    void afterRow(String title) {
        log.println("[bench] " + title + ": " + resident());
        log.println("[bench] " + trimmed(NativeMemory.trim()));
    }

    /** After a stage: a GC for the stage's models, the trim, and the diagnostics when asked for. */
    void afterStage() throws InterruptedException {
        System.gc();
        Thread.sleep(200); // ND4J's deallocator threads free what the GC found
        log.println("[bench] after the stage: " + trimmed(NativeMemory.trim()));
        if (liveModels) {
            String live = liveModels();
            log.println("[bench] live after the stage: " + live);
            if (heapDump != null && !dumped && live.matches(".*(RetinaNet|FasterRcnn|ComputationGraph|MultiLayerNetwork) .*")) {
                dumped = true;
                try {
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(heapDump, true);
                    log.println("[bench] heap dumped to " + heapDump);
                } catch (java.io.IOException | RuntimeException e) {
                    log.println("[bench] no heap dump: " + e);
                }
            }
        }
    }

    /**
     * Resident now and at the process's peak (what JavaCPP's limit and the kernel's OOM killer
     * read), and the Java heap, so a run that fails for memory says which row grew it.
     */
    static String resident() {
        long peak = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    peak = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no peak
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format(Locale.ROOT, "resident %.2f GB%s, Java heap %.0f MB used of %.0f MB committed",
                Pointer.physicalBytes() / 1e9,
                peak < 0 ? "" : String.format(Locale.ROOT, " (process peak %.2f GB)", peak / 1e9),
                heap.getUsed() / 1e6, heap.getCommitted() / 1e6);
    }

    static String trimmed(NativeMemory.Trim t) {
        return t.trimmed() ? String.format(Locale.ROOT, "malloc_trim: resident %.2f GB -> %.2f GB", t.residentBefore() / 1e9,
                t.residentAfter() / 1e9) : "malloc_trim returned nothing" + (NativeMemory.available() ? "" : " (not available)");
    }

    /** Live instances of the classes that own models and native buffers, by simple name. */
    static String liveModels() {
        try {
            String histo = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            StringBuilder out = new StringBuilder();
            for (String line : histo.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[3].matches(".*\\.(SameDiff|RetinaNet|FasterRcnn|ComputationGraph|MultiLayerNetwork"
                        + "|OpaqueDataBuffer|InferenceSession|TrainingSession|HeldSession)")) {
                    out.append(f[3].substring(f[3].lastIndexOf('.') + 1)).append(' ').append(f[1]).append("; ");
                }
            }
            return out.length() == 0 ? "none of them" : out.toString();
        } catch (Exception e) {
            return "no histogram (" + e + ")";
        }
    }
}
