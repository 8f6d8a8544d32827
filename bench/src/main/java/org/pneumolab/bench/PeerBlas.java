package org.pneumolab.bench;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which BLAS the peer's PyTorch runs its dense layers on. Debian's python3-torch (1.13, built with
 * {@code BLAS_INFO=generic}) calls whatever {@code libblas.so.3} the system's alternatives point
 * at, and with no tuned BLAS installed that is the reference implementation (netlib, package
 * libblas3): a [90 x 50176] x [50176 x 1024] product took 4.0 s there and 0.067 s on OpenBLAS
 * (7 Dec 2026, this machine, 2 threads). The torchvision Faster R-CNN peer's box head is such a
 * product, on as many rows as proposals survive, which is what slowed it 3x to 30x in the bench
 * (docs/PERF.md, "What slowed the peer"). Convolutions go to oneDNN and do not care.
 */
public final class PeerBlas {
    private PeerBlas() {
    }

    /**
     * Why peer figures cannot be published with this BLAS, or null when they can: {@code mapped} is
     * the path the peer reported ({@code blas} command), "none" when torch carries its own BLAS
     * (the PyPI wheels link MKL statically), or null when the peer could not say.
     */
    public static String problem(String mapped) {
        if (mapped == null || mapped.isBlank() || mapped.equals("none")) {
            return null;
        }
        String lower = mapped.toLowerCase(Locale.ROOT);
        for (String tuned : new String[] {"openblas", "blis", "atlas", "mkl"}) {
            if (lower.contains(tuned)) {
                return null;
            }
        }
        Path file = Path.of(mapped).getFileName();
        if (file != null && file.toString().startsWith("libblas.so")) {
            return "the peer's BLAS is the reference implementation (" + mapped + "): PyTorch's dense layers run "
                    + "tens of times slower on it than on a tuned BLAS; install one (Debian: apt-get install "
                    + "libopenblas0-pthread, which `bin/pneumo bench` does where apt may)";
        }
        return null;
    }

    /** The header's line: the library and what it is. */
    public static String describe(String mapped) {
        if (mapped == null) {
            return "unknown (the peer could not say)";
        }
        if (mapped.equals("none")) {
            return "none mapped (torch's own, statically linked)";
        }
        return mapped + (problem(mapped) == null ? " (tuned)" : " (the reference implementation: every peer row unreliable)");
    }
}
