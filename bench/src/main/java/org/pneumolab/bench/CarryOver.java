package org.pneumolab.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.geom.Box;
import org.pneumolab.io.AtomicFiles;

/**
 * The folder a CPU run of the GPU smoke check leaves for the run on another backend: arrays in
 * ND4J's binary format (exact values, no re-seeding on the other side), models as DL4J/SameDiff
 * files, and one properties file with the CPU's scalars (losses, timings). Every file is written
 * atomically; a missing or unreadable file is reported with its path.
 */
final class CarryOver {
    static final String MANIFEST = "smoke.properties";

    private final Path dir;
    private final Properties props = new Properties();

    private CarryOver(Path dir) {
        this.dir = dir;
    }

    /** An empty carry-over folder (created if needed) for a recording run. */
    static CarryOver create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST)); // an interrupted recording must not look complete
        return new CarryOver(dir);
    }

    /** A folder a recording run finished (its manifest is written last). */
    static CarryOver open(Path dir) throws IOException {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            throw new IOException(m + ": missing: record the CPU reference first (gpu-smoke record " + dir + ")");
        }
        CarryOver c = new CarryOver(dir);
        try (Reader r = Files.newBufferedReader(m, StandardCharsets.UTF_8)) {
            c.props.load(r);
        }
        return c;
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    void putArray(String name, INDArray a) throws IOException {
        AtomicFiles.write(file(name + ".bin"), out -> Nd4j.write(out, a));
    }

    INDArray array(String name) throws IOException {
        Path p = file(name + ".bin");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            return Nd4j.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException(p + ": cannot read array: " + e.getMessage(), e);
        }
    }

    void put(String key, String value) {
        props.setProperty(key, value);
    }

    void put(String key, double value) {
        props.setProperty(key, String.format(Locale.ROOT, "%.17g", value));
    }

    String get(String key) throws IOException {
        String v = props.getProperty(key);
        if (v == null) {
            throw new IOException(file(MANIFEST) + ": no entry '" + key + "'");
        }
        return v;
    }

    double number(String key) throws IOException {
        String v = get(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IOException(file(MANIFEST) + ": '" + key + "' is not a number: " + v, e);
        }
    }

    void putMap(String prefix, Map<String, Double> values) {
        values.forEach((k, v) -> put(prefix + "." + k, v));
    }

    Map<String, Double> map(String prefix) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        for (String k : props.stringPropertyNames()) {
            if (k.startsWith(prefix + ".")) {
                out.put(k.substring(prefix.length() + 1), number(k));
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file(MANIFEST) + ": no entries '" + prefix + ".*'");
        }
        return out;
    }

    /**
     * The images and boxes of a batch: the stacked array plus a CSV of boxes (image index, id,
     * original size, corners in tensor pixels; the geometry is the stretch from the original size).
     */
    void putSamples(String name, DetectionBatch batch) throws IOException {
        StringBuilder csv = new StringBuilder("image,id,orig_width,orig_height,tensor_x1,tensor_y1,tensor_x2,tensor_y2\n");
        for (int i = 0; i < batch.size(); i++) {
            ResizeGeometry g = batch.geometries().get(i);
            if (g.padLeft() != 0 || g.padTop() != 0) {
                throw new IllegalArgumentException("image " + batch.ids().get(i) + ": only stretched batches are recorded");
            }
            String head = String.format(Locale.ROOT, "%d,%s,%d,%d", i, batch.ids().get(i), g.srcWidth(), g.srcHeight());
            if (batch.boxes().get(i).isEmpty()) {
                csv.append(head).append(",,,,\n");
            }
            for (Box b : batch.boxes().get(i)) {
                csv.append(String.format(Locale.ROOT, "%s,%.17g,%.17g,%.17g,%.17g%n", head, b.x1(), b.y1(), b.x2(),
                        b.y2()));
            }
        }
        putArray(name + "-images", batch.images());
        AtomicFiles.writeString(file(name + "-boxes.csv"), csv.toString());
    }

    DetectionBatch samples(String name) throws IOException {
        INDArray images = array(name + "-images");
        Path csv = file(name + "-boxes.csv");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).contains("tensor_x1")) {
            throw new IOException(csv + ": recorded by an older build (boxes in original pixels); record the reference again");
        }
        int n = (int) images.size(0);
        String[] ids = new String[n];
        int[][] orig = new int[n][];
        List<List<Box>> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boxes.add(new ArrayList<>());
        }
        for (int l = 1; l < lines.size(); l++) {
            String[] f = lines.get(l).split(",", -1);
            try {
                int i = Integer.parseInt(f[0]);
                ids[i] = f[1];
                orig[i] = new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
                if (!f[4].isEmpty()) {
                    boxes.get(i).add(new Box(Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                            Double.parseDouble(f[6]), Double.parseDouble(f[7])));
                }
            } catch (RuntimeException e) {
                throw new IOException(csv + ": line " + (l + 1) + " is not a box row: " + lines.get(l), e);
            }
        }
        List<ResizeGeometry> geometries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (ids[i] == null) {
                throw new IOException(csv + ": no row for image " + i + " of " + n);
            }
            geometries.add(ResizeGeometry.stretch(orig[i][0], orig[i][1], (int) images.size(3), (int) images.size(2)));
        }
        return new DetectionBatch(images, boxes, List.of(ids), geometries);
    }

    /** Writes the manifest; last, so a folder with a manifest is complete. */
    void finish() throws IOException {
        AtomicFiles.write(file(MANIFEST), out -> props.store(new java.io.OutputStreamWriter(out,
                StandardCharsets.UTF_8), "GPU smoke check: the reference run's scalars"));
    }
}
