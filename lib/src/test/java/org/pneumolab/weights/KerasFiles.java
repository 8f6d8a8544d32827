package org.pneumolab.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test fixture: Keras weight files with random values in each real layout, and the numpy
 * reference's features, made by {@code weights/keras_files.py} (h5py + numpy, Debian's python3).
 */
public final class KerasFiles {
    public static final String PYTHON = "/usr/bin/python3";

    private KerasFiles() {
    }

    /** Runs the generator; skips the test where python3-h5py is missing (tools/setup.sh installs it). */
    public static void make(String kind, int size, Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
        Path script = dir.resolve("keras_files.py");
        try (InputStream in = KerasFiles.class.getResourceAsStream("/weights/keras_files.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), kind, dir.toString(), String.valueOf(size))
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        assumeTrue(!log.contains("No module named 'h5py'"), "needs python3-h5py");
        assertEquals(0, rc, "keras_files.py " + kind + " failed: " + log);
    }

    /** A copy of {@code src} without {@code layer} ("drop") or with its first weight cut to half its last axis ("reshape"). */
    public static Path mutate(Path src, String op, String layer, Path dst) throws IOException, InterruptedException {
        Path script = dst.resolveSibling("keras_files_mutate.py");
        try (InputStream in = KerasFiles.class.getResourceAsStream("/weights/keras_files.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), "mutate", src.toString(), dst.toString(), op, layer)
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "mutate failed: " + log);
        return dst;
    }

    /** A float32 NCHW array the generator wrote, with its shape from shapes.txt. */
    public static INDArray array(Path dir, String name) throws IOException {
        long[] shape = Files.readAllLines(dir.resolve("shapes.txt")).stream().map(l -> l.split(" "))
                .filter(f -> f[0].equals(name)).findFirst()
                .map(f -> Arrays.stream(f, 1, f.length).mapToLong(Long::parseLong).toArray())
                .orElseThrow(() -> new IOException(dir + "/shapes.txt: no " + name));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return Nd4j.create(v, shape, 'c');
    }

    /** ||a - b|| / ||b||. */
    public static double relativeL2(INDArray ours, INDArray reference) {
        INDArray a = ours.castTo(DataType.DOUBLE);
        INDArray r = reference.castTo(DataType.DOUBLE);
        return a.sub(r).norm2Number().doubleValue() / r.norm2Number().doubleValue();
    }
}
