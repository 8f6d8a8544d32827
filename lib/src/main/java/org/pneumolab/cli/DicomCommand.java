package org.pneumolab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;

import org.pneumolab.dicom.DicomException;
import org.pneumolab.dicom.DicomFile;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.dicom.DicomReader;
import org.pneumolab.dicom.Frame;
import org.pneumolab.io.AtomicFiles;

/**
 * {@code pneumo dicom FILE... [--png OUT]}: one JSON object per file (main attributes, transfer
 * syntax, pixel shape and statistics after the modality rescale); with --png the display image
 * (OUT is a file for one input, a folder for several). Bad files are reported on stderr and
 * skipped; the exit code is 1 if any file failed.
 */
final class DicomCommand implements Command {
    private static final List<String> KEYWORDS = List.of("PatientID", "PatientName", "PatientAge", "PatientSex",
            "ViewPosition", "Modality", "BodyPartExamined", "PhotometricInterpretation", "SOPInstanceUID");

    private final PrintStream out;
    private final PrintStream err;

    DicomCommand() {
        this(System.out, System.err);
    }

    DicomCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "dicom";
    }

    @Override
    public String usage() {
        return "FILE... [--png OUT]  (one JSON object per file: attributes, transfer syntax, pixel statistics;"
                + " --png writes display images: OUT is a file for one input, a folder for several)";
    }

    @Override
    public int run(List<String> args) throws IOException {
        Args a = Args.parse(args, Set.of("png"), Set.of());
        if (a.positional().isEmpty()) {
            throw new UsageException("give at least one DICOM file");
        }
        List<Path> files = a.positional().stream().map(Path::of).toList();
        String png = a.get("png", null);
        int failed = 0;
        for (Path file : files) {
            try {
                describe(file, png == null ? null : pngTarget(Path.of(png), file, files.size()));
            } catch (IOException e) {
                err.println(e instanceof DicomException ? e.getMessage() : file + ": " + e);
                failed++;
            }
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "pneumo dicom: %d of %d files failed%n", failed, files.size());
        }
        return failed == 0 ? 0 : 1;
    }

    private static Path pngTarget(Path out, Path file, int inputs) {
        if (inputs == 1 && !Files.isDirectory(out)) {
            return out;
        }
        String name = file.getFileName().toString().replaceFirst("(?i)\\.dcm$", "") + ".png";
        return out.resolve(name);
    }

    private void describe(Path file, Path png) throws IOException {
        DicomFile f = DicomReader.read(file);
        Json j = new Json();
        j.field("file", file.toString());
        j.raw("transferSyntax", "{\"uid\": " + Json.quote(f.transferSyntax().uid()) + ", \"name\": "
                + Json.quote(f.transferSyntax().name()) + "}");
        for (String k : KEYWORDS) {
            f.string(k).ifPresent(v -> j.field(k, v));
        }
        IOException pixelProblem = null;
        if (f.hasPixelData()) {
            try {
                Frame frame = f.firstFrame();
                j.raw("pixels", String.format(Locale.ROOT,
                        "{\"rows\": %d, \"columns\": %d, \"samples\": %d, \"frames\": %d, \"min\": %s, \"max\": %s, \"mean\": %s}",
                        frame.rows(), frame.columns(), frame.samples(), f.pixelInfo().numberOfFrames(),
                        Json.number(frame.min()), Json.number(frame.max()), Json.number(frame.mean())));
                if (png != null) {
                    writePng(DicomImages.toGray8(f), png);
                    j.field("png", png.toString());
                }
            } catch (DicomException e) {
                j.field("pixelError", e.problem());
                pixelProblem = e;
            }
        } else {
            j.raw("pixels", "null");
            if (png != null) {
                pixelProblem = new DicomException(file, "no pixel data, no PNG written");
            }
        }
        out.println(j);
        if (pixelProblem != null) {
            throw pixelProblem;
        }
    }

    private static void writePng(BufferedImage img, Path target) throws IOException {
        AtomicFiles.write(target, stream -> {
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer");
            }
        });
    }

    /** A one-line JSON object built field by field. */
    private static final class Json {
        private final List<String> fields = new ArrayList<>();

        void field(String name, String value) {
            fields.add(quote(name) + ": " + quote(value));
        }

        void raw(String name, String json) {
            fields.add(quote(name) + ": " + json);
        }

        static String number(double v) {
            return Double.isFinite(v) ? (v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                    : String.format(Locale.ROOT, "%.6g", v)) : "null";
        }

        static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        @Override
        public String toString() {
            return "{" + String.join(", ", fields) + "}";
        }
    }
}
