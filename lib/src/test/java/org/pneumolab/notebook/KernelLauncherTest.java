package org.pneumolab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/kernel/launch.sh starts the build of the backend bin/pneumo set up: lib/target for cpu,
 * lib/target-cuda for cuda (tools/setup.sh's build_dir), chosen by PNEUMO_BACKEND or, without it,
 * by the backend sed into the kernelspec's copy. A checkout set up for only one backend never
 * starts the other's build quietly: the refusal names the backend. Runs on any machine: the
 * "java" of each kernel folder is a script that prints what it was given.
 */
class KernelLauncherTest {

    private static Path projectHome() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/kernel/launch.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no tools/kernel/launch.sh above the working directory");
    }

    /** A checkout with bin/pneumo, the launcher, and a kernel folder for each of {@code builds}. */
    private static Path checkout(Path dir, String... builds) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/pneumo"), "#!/bin/sh\n");
        Files.createDirectories(dir.resolve("tools/kernel"));
        Files.copy(projectHome().resolve("tools/kernel/launch.sh"), dir.resolve("tools/kernel/launch.sh"));
        Files.createDirectories(dir.resolve("notebooks"));
        for (String build : builds) {
            Path k = Files.createDirectories(dir.resolve("lib").resolve(build).resolve("kernel"));
            Path fakeJava = k.resolve("java");
            Files.writeString(fakeJava, "#!/bin/sh\necho \"started $*\"\n");
            Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(k.resolve("env"), "PNEUMO_JAVA='" + fakeJava + "'\n");
            Files.writeString(k.resolve("java.args"), "\"-cp\"\n\"" + build + "\"\n");
        }
        return dir;
    }

    /** Runs the launcher (a kernelspec copy with {@code specBackend} sed in, or the raw file) from notebooks/. */
    private static Map.Entry<Integer, String> launch(Path home, String specBackend, String envBackend) throws Exception {
        Path launcher = home.resolve("tools/kernel/launch.sh");
        if (specBackend != null) {
            Path spec = home.resolve("spec-launch.sh");
            Files.writeString(spec, Files.readString(launcher).replace("@PNEUMO_BACKEND@", specBackend)
                    .replace("@PNEUMO_FALLBACK_HOME@", home.toString()));
            launcher = spec;
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", launcher.toString(), "conn.json")
                .directory(home.resolve("notebooks").toFile()).redirectErrorStream(true);
        pb.environment().remove("PNEUMO_BACKEND");
        if (envBackend != null) {
            pb.environment().put("PNEUMO_BACKEND", envBackend);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void eachBackendStartsItsOwnBuild(@TempDir Path dir) throws Exception {
        Path home = checkout(dir.resolve("both"), "target", "target-cuda");
        for (List<String> c : List.of(List.of("cpu", "", "target"), List.of("cuda", "", "target-cuda"),
                List.of("cuda", "cpu", "target"), List.of("cpu", "cuda", "target-cuda"), List.of("raw", "", "target"))) {
            String spec = c.get(0).equals("raw") ? null : c.get(0);
            Map.Entry<Integer, String> r = launch(home, spec, c.get(1).isEmpty() ? null : c.get(1));
            assertEquals(0, r.getKey(), c + ": " + r.getValue());
            String backend = c.get(2).equals("target") ? "cpu" : "cuda";
            assertTrue(r.getValue().contains("started -Dpneumolab.backend=" + backend + " @" + home.toRealPath()
                    .resolve("lib").resolve(c.get(2)).resolve("kernel/java.args") + " org.pneumolab.notebook.LabKernel conn.json"),
                    c + ": " + r.getValue());
        }
    }

    @Test
    void aBackendThatIsNotSetUpIsNamedNotReplaced(@TempDir Path dir) throws Exception {
        Path cpuOnly = checkout(dir.resolve("cpu-only"), "target");
        Map.Entry<Integer, String> r = launch(cpuOnly, "cpu", "cuda");
        assertEquals(1, r.getKey(), r.getValue());
        assertTrue(r.getValue().contains("not set up for backend cuda") && r.getValue().contains("PNEUMO_BACKEND=cuda")
                && !r.getValue().contains("started"), r.getValue());
        Path cudaOnly = checkout(dir.resolve("cuda-only"), "target-cuda");
        r = launch(cudaOnly, "cuda", "cpu");
        assertEquals(1, r.getKey(), r.getValue());
        assertTrue(r.getValue().contains("not set up for backend cpu") && !r.getValue().contains("started"), r.getValue());
    }
}
