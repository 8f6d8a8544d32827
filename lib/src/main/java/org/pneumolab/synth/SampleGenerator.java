package org.pneumolab.synth;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.pneumolab.io.AtomicFiles;
import org.pneumolab.notebook.CellInterrupt;
import org.pneumolab.notebook.CellInterruptedException;
import org.pneumolab.notebook.ProgressBar;

/**
 * Writes the synthetic sample: {@code OUT/rsna} in the RSNA layout and {@code OUT/chest_xray}
 * in the Kermany layout, then {@code OUT/sample-manifest.properties} (spec, seed, generator
 * version) last, so a manifest means a complete sample. Images are rendered in parallel, each
 * from its own derived seed, so the bytes do not depend on thread scheduling.
 */
public final class SampleGenerator {
    /** Bump when the drawing or layout changes, so old samples get regenerated. */
    public static final String VERSION = "1";
    public static final String MANIFEST = "sample-manifest.properties";
    /**
     * Written before the first file and removed after the manifest: marks rsna/ and chest_xray/ as
     * the generator's while it writes them, so a generation stopped by an interrupt (or a crash)
     * is redone on the next call instead of being refused as a folder it did not write.
     */
    static final String IN_PROGRESS = ".sample-generating";

    /** What a call did. {@code reused} is true when a matching sample was already there. */
    public record Summary(Path root, int rsnaImages, int kermanyImages, long bytes, Duration elapsed, boolean reused) {
        @Override
        public String toString() {
            return (reused ? "sample up to date: " : "sample written: ") + root + " (RSNA " + rsnaImages
                    + " DICOM, Kermany " + kermanyImages + " JPEG, " + bytes / (1024 * 1024) + " MiB, "
                    + elapsed.toMillis() / 1000.0 + " s)";
        }
    }

    private SampleGenerator() {
    }

    /** Writes the sample unless one with the same spec and generator version is already complete. */
    public static Summary generateIfMissing(SampleSpec spec, Path out) throws IOException {
        long t0 = System.nanoTime();
        if (isUpToDate(spec, out)) {
            return new Summary(out, spec.rsnaTrain() + spec.rsnaTest(), KermanyLayout.plan(spec).size(),
                    sizeOnDisk(out), Duration.ofNanos(System.nanoTime() - t0), true);
        }
        return generate(spec, out);
    }

    /** True when {@code out} holds a complete sample of this spec: manifest matches, every file present. */
    public static boolean isUpToDate(SampleSpec spec, Path out) throws IOException {
        Path manifest = out.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        if (!VERSION.equals(p.getProperty("generatorVersion"))) {
            return false;
        }
        for (Map.Entry<String, String> e : spec.toProperties().entrySet()) {
            if (!e.getValue().equals(p.getProperty(e.getKey()))) {
                return false;
            }
        }
        Path rsna = out.resolve(RsnaLayout.FOLDER);
        List<RsnaPatient> patients = RsnaLayout.plan(spec);
        // with no RSNA patients no CSVs are written
        List<String> csvs = patients.isEmpty() ? List.of() : List.of(RsnaLayout.TRAIN_LABELS, RsnaLayout.CLASS_INFO,
                RsnaLayout.SAMPLE_SUBMISSION, RsnaLayout.SAMPLE_TEST_LABELS);
        for (String csv : csvs) {
            if (!Files.isRegularFile(rsna.resolve(csv))) {
                return false;
            }
        }
        for (RsnaPatient patient : patients) {
            if (!Files.isRegularFile(rsna.resolve(patient.folder()).resolve(patient.fileName()))) {
                return false;
            }
        }
        Path kermany = out.resolve(KermanyLayout.FOLDER);
        for (KermanyImage img : KermanyLayout.plan(spec)) {
            if (!Files.isRegularFile(kermany.resolve(img.relativePath()))) {
                return false;
            }
        }
        return true;
    }

    /** Always (re)writes the sample, replacing an earlier sample in {@code out}. */
    public static Summary generate(SampleSpec spec, Path out) throws IOException {
        long t0 = System.nanoTime();
        Path rsna = out.resolve(RsnaLayout.FOLDER);
        Path kermany = out.resolve(KermanyLayout.FOLDER);
        clearOldSample(out, rsna, kermany);
        AtomicFiles.writeString(out.resolve(IN_PROGRESS), "the sample generator is writing rsna/ and chest_xray/\n");
        List<RsnaPatient> patients = RsnaLayout.plan(spec);
        List<KermanyImage> kermanyImages = KermanyLayout.plan(spec);
        int total = patients.size() + kermanyImages.size();
        List<RsnaLayout.Written> rendered; // labels only: pixels go straight to disk
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        // Once one file fails or an interrupt stops one worker, the others stop at their next file,
        // and this call returns only when none is writing: a rerun may clear the folders at once.
        AtomicBoolean stop = new AtomicBoolean();
        try (ProgressBar bar = ProgressBar.start("sample data", total)) {
            rendered = pool.submit(() -> IntStream.range(0, total).parallel().mapToObj(i -> {
                if (stop.get()) {
                    return null;
                }
                try {
                    RsnaLayout.Written img = null;
                    if (i < patients.size()) {
                        img = RsnaLayout.write(patients.get(i), spec.rsnaSize(), rsna);
                    } else {
                        KermanyLayout.write(kermanyImages.get(i - patients.size()), kermany);
                    }
                    bar.step();
                    return img;
                } catch (IOException e) {
                    stop.set(true);
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    stop.set(true);
                    throw e;
                }
            }).filter(x -> x != null).toList()).get();
        } catch (InterruptedException e) {
            stop.set(true);
            if (CellInterrupt.isRequested()) {
                // Kernel > Interrupt woke this thread in get(): the interrupt becomes the exception
                Thread.interrupted();
                awaitWorkers(pool);
                throw new CellInterruptedException();
            }
            Thread.currentThread().interrupt();
            throw new IOException("sample generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CellInterruptedException interrupted) {
                throw interrupted;  // Kernel > Interrupt, reported as such, not as a failure
            }
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("sample generation failed: " + cause, cause);
        } finally {
            awaitWorkers(pool);
        }
        if (!patients.isEmpty()) {
            RsnaLayout.writeCsvs(rendered, rsna);
        }
        writeManifest(spec, out, patients.size(), kermanyImages.size());
        Files.deleteIfExists(out.resolve(IN_PROGRESS));
        return new Summary(out, patients.size(), kermanyImages.size(), sizeOnDisk(out),
                Duration.ofNanos(System.nanoTime() - t0), false);
    }

    /**
     * Removes a previous sample so stale files of another seed do not linger. A folder that
     * holds {@code rsna/} or {@code chest_xray/} without our manifest is not ours (perhaps real
     * data): refuse rather than delete it.
     */
    /** Shuts the pool down and waits until no worker runs (an interrupt of this thread is kept for later). */
    private static void awaitWorkers(ForkJoinPool pool) {
        pool.shutdown();
        boolean interrupted = false;
        while (!pool.isTerminated()) {
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void clearOldSample(Path out, Path rsna, Path kermany) throws IOException {
        Path manifest = out.resolve(MANIFEST);
        boolean ours = Files.isRegularFile(manifest) || Files.isRegularFile(out.resolve(IN_PROGRESS));
        if (!ours && (Files.exists(rsna) || Files.exists(kermany))) {
            throw new IOException(out + ": already holds rsna/ or chest_xray/ that the sample generator did not write (no "
                    + MANIFEST + "); remove them or choose another output folder");
        }
        Files.deleteIfExists(manifest);
        deleteTree(rsna);
        deleteTree(kermany);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }

    private static void writeManifest(SampleSpec spec, Path out, int rsna, int kermany) throws IOException {
        StringBuilder sb = new StringBuilder("# Synthetic sample data written by org.pneumolab.synth.SampleGenerator.\n"
                + "# Not real patients. Regenerated when the spec or generator version changes.\n");
        sb.append("generatorVersion=").append(VERSION).append('\n');
        for (Map.Entry<String, String> e : spec.toProperties().entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        sb.append("rsnaImages=").append(rsna).append('\n');
        sb.append("kermanyImageCount=").append(kermany).append('\n');
        AtomicFiles.writeString(out.resolve(MANIFEST), sb.toString());
    }

    static long sizeOnDisk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
