package org.pneumolab.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every .dcm file of pydicom's own test corpus, compared with what pydicom makes of it: key
 * attributes, and the first frame's pixels (exact for native and RLE, a small tolerance for
 * JPEG, whose decoders may differ in IDCT and chroma upsampling).
 */
class DicomPydicomOracleTest {
    /** JPEG: mean absolute difference per sample, and largest single difference, allowed. */
    private static final double JPEG_MEAN_TOLERANCE = 1.0;
    private static final double JPEG_MAX_TOLERANCE = 12;

    @TempDir
    Path tmp;

    @Test
    void corpusMatchesPydicom() throws Exception {
        PythonOracle.requirePydicom();
        List<Path> files;
        try (Stream<Path> s = Files.list(PythonOracle.CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        assertTrue(files.size() >= 50, "pydicom corpus looks incomplete: " + files.size() + " files");
        Path script = PythonOracle.script("/dicom/pydicom_oracle.py", tmp);
        Path out = Files.createDirectory(tmp.resolve("oracle"));
        List<String> cmd = new ArrayList<>(List.of(PythonOracle.PYTHON.toString(), script.toString(), out.toString()));
        files.forEach(f -> cmd.add(f.toString()));
        PythonOracle.runOrFail(cmd, 300);

        int compared = 0;
        int attributesOnly = 0;
        List<String> rejected = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Properties py = load(out.resolve(i + ".properties"));
            String name = file.getFileName().toString();
            try {
                String outcome = compare(file, py, out.resolve(i + ".f64"));
                switch (outcome) {
                    case "compared" -> compared++;
                    case "attributes" -> attributesOnly++;
                    default -> {
                        if (outcome.startsWith("rejected")) {
                            rejected.add(name + ": " + outcome);
                        } else {
                            skipped.add(name + ": " + outcome);
                        }
                    }
                }
            } catch (AssertionError | Exception e) {
                failures.add(name + ": " + e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "pydicom corpus: %d files, %d pixels compared, %d attributes only, "
                + "%d rejected as unsupported, %d skipped%n", files.size(), compared, attributesOnly, rejected.size(), skipped.size());
        rejected.forEach(r -> System.out.println("  rejected " + r));
        skipped.forEach(r -> System.out.println("  skipped  " + r));
        if (!failures.isEmpty()) {
            fail(failures.size() + " files differ from pydicom:\n  " + String.join("\n  ", failures));
        }
        assertTrue(compared >= 30, "too few pixel comparisons: " + compared);
    }

    /** Returns what happened: "compared", "attributes", "rejected ..." or "skipped ..."; throws on a mismatch. */
    private String compare(Path file, Properties py, Path pixels) throws IOException {
        if (!"true".equals(py.getProperty("read"))) {
            String ours = ourOutcome(file);
            return "skipped (pydicom cannot read it: " + py.getProperty("readError") + "; ours: " + ours + ")";
        }
        boolean decoded = "true".equals(py.getProperty("decoded"));
        DicomFile f;
        try {
            f = DicomReader.read(file);
        } catch (DicomException e) {
            if (decoded) {
                throw new AssertionError("pydicom decodes it but we fail to read it: " + e.getMessage(), e);
            }
            return "skipped (pydicom reads it but cannot decode pixels: " + py.getProperty("decodeError")
                    + "; ours rejects the file: " + e.problem() + ")";
        }
        compareAttributes(f, py);
        if (!decoded) {
            return "attributes";
        }
        if (!f.transferSyntax().pixelsSupported()) {
            try {
                f.firstFrame();
                throw new AssertionError("unsupported transfer syntax decoded without an exception");
            } catch (DicomException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), "message must start with the path: " + e.getMessage());
                assertTrue(e.getMessage().contains(f.transferSyntax().uid()) && e.getMessage().contains(f.transferSyntax().name()),
                        "message must name the transfer syntax: " + e.getMessage());
                return "rejected (" + f.transferSyntax().describe() + ")";
            }
        }
        Frame frame = f.firstFrame();
        double[] expected = readF64(pixels);
        String shape = frame.rows() + "x" + frame.columns() + (frame.samples() > 1 ? "x" + frame.samples() : "");
        assertEquals(py.getProperty("shape"), shape, "first frame shape");
        assertEquals(expected.length, frame.values().length, "sample count");
        boolean jpeg = f.transferSyntax().uid().equals(TransferSyntax.JPEG_BASELINE_UID);
        double sumAbs = 0;
        double maxAbs = 0;
        int firstBad = -1;
        for (int k = 0; k < expected.length; k++) {
            double d = Math.abs(expected[k] - frame.values()[k]);
            double allowed = jpeg ? JPEG_MAX_TOLERANCE : 1e-9 * Math.max(1, Math.abs(expected[k]));
            if (d > allowed && firstBad < 0) {
                firstBad = k;
            }
            sumAbs += d;
            maxAbs = Math.max(maxAbs, d);
        }
        double meanAbs = sumAbs / expected.length;
        if (firstBad >= 0 || (jpeg && meanAbs > JPEG_MEAN_TOLERANCE)) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "pixels differ (%s): mean |d| %.4f, max |d| %.4f%s", f.transferSyntax().uid(), meanAbs, maxAbs,
                    firstBad >= 0 ? ", first at sample " + firstBad + ": pydicom " + expected[firstBad]
                            + " ours " + frame.values()[firstBad] : ""));
        }
        if (jpeg) {
            System.out.printf(Locale.ROOT, "  jpeg %s: mean |d| %.3f, max |d| %.0f%n", file.getFileName(), meanAbs, maxAbs);
        }
        return "compared";
    }

    private static void compareAttributes(DicomFile f, Properties py) {
        for (String keyword : List.of("Rows", "Columns", "PhotometricInterpretation", "PatientID", "PatientName")) {
            String expected = py.getProperty(keyword);
            if (expected != null) {
                assertEquals(expected, f.string(keyword).orElse(null), keyword);
            }
        }
        String ts = py.getProperty("TransferSyntaxUID");
        if (ts != null) {
            assertEquals(ts, f.transferSyntax().uid(), "transfer syntax");
        }
    }

    private static String ourOutcome(Path file) {
        try {
            DicomReader.read(file);
            return "read";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static Properties load(Path p) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p)) {
            props.load(r);
        }
        return props;
    }

    private static double[] readF64(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(out);
        return out;
    }
}
