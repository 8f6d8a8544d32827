package org.pneumolab.notebook;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * The lab's kernel entry point (the kernelspec's main class), in place of rapaio-jupyter-kernel's
 * {@code MainApp.main}: the same kernel, started in another order and quietly.
 *
 * <ul>
 * <li>The sockets are bound before JShell is built, and kernel_info is answered at once (see
 *     {@link Channels#bindEarly()}), so Jupyter sees a started kernel within a few seconds even on
 *     a busy machine; execute requests wait until the kernel is built.</li>
 * <li>rapaio's engine prints two lines per class-path entry while it builds JShell, about 250
 *     lines for lib's class path; they are counted instead and the count is logged once.
 *     Everything else the JVM prints passes through.</li>
 * </ul>
 */
public final class LabKernel {
    private static final Logger LOGGER = Logger.getLogger(LabKernel.class.getSimpleName());

    private LabKernel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LabKernel CONNECTION_FILE");
        }
        try (InputStream config = LabKernel.class.getClassLoader().getResourceAsStream("logging.properties")) {
            if (config != null) {
                LogManager.getLogManager().readConfiguration(config);
            }
        }
        ConnectionProperties props = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        // Sockets first: Jupyter's kernel_info_request is answered while JShell is being built
        // (seconds, more on a busy machine); other requests wait for the kernel.
        Channels channels = new Channels(props);
        channels.bindEarly();

        PrintStream out = System.out;
        ClassPathLineFilter filter = new ClassPathLineFilter(out);
        System.setOut(new PrintStream(filter, true, StandardCharsets.UTF_8));
        try {
            // MainApp's static initialiser builds the kernel (JShell and its class path); the
            // kernel's display API (Global) reaches it through MainApp.kernel.
            Class.forName("org.rapaio.jupyter.kernel.MainApp", true, LabKernel.class.getClassLoader());
        } finally {
            System.out.flush();
            System.setOut(out);
        }
        // The backend the launcher chose (tools/kernel/launch.sh): a cuda kernel that cannot load
        // libcuda.so.1 fails at its first ND4J cell, and this line says which build it is.
        LOGGER.info("backend " + System.getProperty("pneumolab.backend", "cpu") + "; JShell class path: "
                + filter.added() + " entries");
        channels.connect(MainApp.kernel);
        channels.joinUntilClose();
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
