package org.pneumolab.notebook;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * The lab's kernel entry point (the kernelspec's main class): rapaio-jupyter-kernel's
 * {@code MainApp} with a quiet start. rapaio's engine prints two lines per class-path entry while
 * it builds JShell, about 250 lines for lib's class path; they are counted instead and the count
 * is logged once. Everything else the JVM prints passes through.
 */
public final class LabKernel {
    private static final Logger LOGGER = Logger.getLogger(LabKernel.class.getSimpleName());

    private LabKernel() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        ClassPathLineFilter filter = new ClassPathLineFilter(out);
        System.setOut(new PrintStream(filter, true, StandardCharsets.UTF_8));
        try {
            // MainApp's static initialiser builds the kernel (JShell and its class path).
            Class.forName("org.rapaio.jupyter.kernel.MainApp", true, LabKernel.class.getClassLoader());
        } finally {
            System.out.flush();
            System.setOut(out);
        }
        LOGGER.info("JShell class path: " + filter.added() + " entries");
        org.rapaio.jupyter.kernel.MainApp.main(args);
    }

    /** Drops rapaio's "Parsing classpath: ..." and "Add ... to classpath" lines, counting the latter. */
    static final class ClassPathLineFilter extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private int added;

        ClassPathLineFilter(PrintStream target) {
            this.target = target;
        }

        int added() {
            return added;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void flush() {
            if (line.size() > 0) {
                emit();
            }
            target.flush();
        }

        private void emit() {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            String t = s.strip();
            if (t.startsWith("Add ") && t.endsWith(" to classpath")) {
                added++;
            } else if (!t.startsWith("Parsing classpath: ")) {
                target.print(s);
            }
        }
    }
}
