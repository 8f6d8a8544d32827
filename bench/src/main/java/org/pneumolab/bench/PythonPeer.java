package org.pneumolab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer: one long-lived {@code /usr/bin/python3 peer.py} process (PyTorch and Pillow), so
 * imports and model construction happen once and the harness can interleave its calls with ours.
 * Commands and answers are single lines (see peer.py).
 */
public final class PythonPeer implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;
    private final String torchProblem;
    private final String python;
    private final int threads;
    private final java.io.PrintStream log;

    /** The peer processes' allocator settings (see {@link #start}); printed in the bench's header. */
    public static final java.util.Map<String, String> ALLOCATOR = java.util.Map.of(
            "MALLOC_MMAP_THRESHOLD_", String.valueOf(32 << 20),
            "MALLOC_TRIM_THRESHOLD_", String.valueOf(256 << 20),
            "MALLOC_TOP_PAD_", String.valueOf(256 << 20));

    private PythonPeer(Process process, String python, int threads, java.io.PrintStream log) throws IOException {
        this.process = process;
        this.python = python;
        this.threads = threads;
        this.log = log;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String version = ask("version");
        this.torchProblem = version.startsWith("OK") ? null : version;
    }

    /** Starts the peer, or returns null (with the reason on {@code log}) when Python is missing. */
    public static PythonPeer start(String python, int threads, java.io.PrintStream log) throws IOException {
        if (!Files.isExecutable(Path.of(python))) {
            log.println("[bench] " + python + " not found: every peer row is skipped");
            return null;
        }
        Path script = Files.createTempFile("pneumo-peer", ".py");
        script.toFile().deleteOnExit();
        try (InputStream s = PythonPeer.class.getResourceAsStream("peer.py")) {
            if (s == null) {
                throw new IOException("peer.py missing from the bench jar");
            }
            Files.copy(s, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder(python, "-u", script.toString());
        // Same thread count as ND4J; set before torch starts its OpenMP pool, and again by command.
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        // glibc's allocator adapts to a process's history: a fresh process serves each decoded
        // image's buffers by mmap and faults them in again on every call, while the long-lived
        // peer, after minutes of large allocations, serves them from its heap. pydicom's
        // pixel_array ran at 190 img/s fresh and 290 long-lived (7 Dec 2026), which the guard
        // read as the standalone twin disagreeing. Fixed settings give both processes the
        // long-lived state from the start, as in a data loader that has run a while.
        pb.environment().putAll(ALLOCATOR);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        PythonPeer peer = new PythonPeer(pb.start(), python, threads, log);
        if (peer.torchAvailable()) {
            peer.ask("threads " + threads);
        }
        return peer;
    }

    public boolean torchAvailable() {
        return torchProblem == null;
    }

    /** The BLAS library the peer process has mapped (see {@link PeerBlas}), "none", or null when it cannot say. */
    public String blas() {
        try {
            String answer = ask("blas");
            return answer.startsWith("OK ") ? answer.substring(3).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public String torchVersion() throws IOException {
        return torchAvailable() ? ask("version").substring(3) : "absent (" + torchProblem + ")";
    }

    /** Sends one command; returns items per second, or throws Skipped / IOException. */
    public double measure(String command) throws Exception {
        String answer = ask(command);
        if (answer.startsWith("OK ")) {
            return Double.parseDouble(answer.substring(3).trim());
        }
        if (answer.startsWith("SKIP ")) {
            throw new Contestant.Skipped(answer.substring(5));
        }
        throw new IOException("peer: " + command + " -> " + answer);
    }

    /**
     * {@code command} in a fresh peer process (same interpreter, same threads), started now and
     * ended afterwards, sampled as the harness sampled the row: the plan's discarded calls, then
     * its samples of {@code callsPerSample} calls each. The harness calls it after a row's rounds,
     * so nothing of ours computes beside it; the long-lived peer idles meanwhile.
     */
    public List<Double> standalone(String command, SamplePlan plan) throws Exception {
        PythonPeer fresh = start(python, threads, log);
        if (fresh == null) {
            throw new Contestant.Skipped("no Python");
        }
        try (fresh) {
            for (int i = 0; i < Math.max(1, plan.warmUps()); i++) {
                fresh.measure(command);
            }
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < plan.reps(); i++) {
                List<Double> rates = new ArrayList<>();
                for (int j = 0; j < plan.callsPerSample(); j++) {
                    rates.add(fresh.measure(command));
                }
                out.add(SamplePlan.combine(rates));
            }
            return out;
        }
    }

    private synchronized String ask(String command) throws IOException {
        in.println(command);
        String line = out.readLine();
        if (line == null) {
            throw new IOException("peer process ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }
}
