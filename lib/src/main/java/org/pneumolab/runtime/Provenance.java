package org.pneumolab.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Where a number came from: the commit (and whether the tree had changes) and the machine. */
public final class Provenance {
    private Provenance() {
    }

    /** "c52686e" or "c52686e + uncommitted changes", or "unknown (not a git checkout)". */
    public static String commit(Path projectHome) {
        String head = git(projectHome, "rev-parse", "--short", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown (not a git checkout)";
        }
        String status = git(projectHome, "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (status != null && !status.isBlank() ? " + uncommitted changes" : "");
    }

    /** CPU model, cores, memory and OS, e.g. "AMD EPYC 9R14, 2 cores, 23.5 GiB, Linux 6.1". */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the OS name below still says what it was
        }
        long mem = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    mem = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            mem = Runtime.getRuntime().maxMemory();
        }
        return String.format(Locale.ROOT, "%s, %d cores, %s memory, %s %s", cpu, Runtime.getRuntime().availableProcessors(),
                org.pneumolab.report.Format.bytes(mem), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /** The 1-minute load average, which says how shared the machine was while timing. */
    public static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " (1 min)";
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    private static String git(Path dir, String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
