package org.pneumolab.detect;

import java.io.OutputStream;
import java.io.PrintStream;

import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Builds a graph's backward pass before the first training step with standard output silenced:
 * SameDiff 1.0.0-M2.1 prints one "Added differentiated op ..." line per op with
 * {@code System.out}, ~200 lines per detector, which would bury a notebook's output.
 */
final class QuietGradients {
    private QuietGradients() {
    }

    static void ensure(SameDiff sd) {
        if (sd.hasGradientFunction()) {
            return;
        }
        PrintStream out = System.out;
        synchronized (QuietGradients.class) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }
}
