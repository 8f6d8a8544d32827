package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's /usr/bin/python3 (the one with pydicom) and dcmtk tools for the tests. */
final class PythonOracle {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private PythonOracle() {
    }

    /** Fails (never skips) when pydicom is missing: the test tools are part of the suite's setup. */
    static void requirePydicom() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            fail("/usr/bin/python3 is missing: run `bin/pneumo test`, which installs the test tools (python3-pydicom, dcmtk)");
        }
        Result r = run(List.of(PYTHON.toString(), "-c", "import pydicom, numpy, PIL"), 60);
        if (r.exit() != 0) {
            fail("pydicom/numpy/PIL not importable by /usr/bin/python3 (" + r.output().strip()
                    + "): run `bin/pneumo test`, which installs python3-pydicom, python3-numpy and python3-pil");
        }
    }

    static void requireTool(String tool) throws Exception {
        Result r = run(List.of("sh", "-c", "command -v " + tool), 30);
        if (r.exit() != 0) {
            fail(tool + " not found: run `bin/pneumo test`, which installs dcmtk");
        }
    }

    /** Copies a test resource to a file so python can run it. */
    static Path script(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = PythonOracle.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource missing: " + resource);
            }
            Files.copy(in, target);
        }
        return target;
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void runOrFail(List<String> command, long timeoutSeconds) throws Exception {
        Result r = run(command, timeoutSeconds);
        if (r.exit() != 0) {
            fail("command failed (exit " + r.exit() + "): " + command + "\n" + r.output());
        }
    }
}
