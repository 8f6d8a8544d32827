package org.pneumolab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import org.pneumolab.dicom.DicomException;
import org.pneumolab.dicom.DicomFile;
import org.pneumolab.dicom.DicomImages;
import org.pneumolab.dicom.DicomReader;
import org.pneumolab.dicom.Frame;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.io.PixelBudget;

/**
 * {@code pneumo dicom FILE... [--png OUT]}: one JSON object per file (main attributes, transfer
 * syntax, pixel shape and statistics after the modality rescale); with --png the display image
 * (OUT is a file for one input, a folder for several). A file that cannot be read, or whose
 * pixels are damaged (truncated, shorter than its header says, above the pixel budget, too big
 * for the heap), is reported on stderr with the reason and skipped; the batch always goes on.
 * The exit code is 1 if any file failed, unless {@code --lenient}.
 */
final class DicomCommand implements Command {
    private static final List<String> KEYWORDS = List.of("PatientID", "PatientName", "PatientAge", "PatientSex",
            "ViewPosition", "Modality", "BodyPartExamined", "PhotometricInterpretation", "SOPInstanceUID");

    /** One line per file; numbers at full precision, an undefined one null with its reason (strict JSON). */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .serializeNulls().create();

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
    public Set<String> valueOptions() {
        return Set.of("png", "max-pixels");
    }

    @Override
    public Set<String> flags() {
        return Set.of("lenient");
    }

    @Override
    public String usage() {
        return "FILE... [--png OUT] [--max-pixels N] [--lenient]  (one JSON object per file: attributes, transfer"
                + " syntax, pixel statistics; --png writes display images: OUT is a file for one input, a folder for"
                + " several; a file that cannot be read or decoded is reported and skipped, and makes the exit"
                + " code 1 unless --lenient)";
    }

    @Override
    public int run(List<String> args) throws IOException {
        Args a = parse(args);
        if (a.positional().isEmpty()) {
            throw new UsageException("give at least one DICOM file");
        }
        if (a.options().containsKey("max-pixels")) {
            long max = a.getLong("max-pixels", PixelBudget.DEFAULT);
            if (max < 1) {
                throw new UsageException("--max-pixels must be positive, got " + max);
            }
            PixelBudget.set(max);
        }
        List<Path> files = a.positional().stream().map(Path::of).toList();
        String png = a.get("png", null);
        int failed = 0;
        for (Path file : files) {
            String problem = null;
            try {
                describe(file, png == null ? null : pngTarget(Path.of(png), file, files.size()));
            } catch (DicomException e) {
                problem = e.getMessage();
            } catch (IOException | RuntimeException e) {
                problem = file + ": " + e;
            } catch (OutOfMemoryError e) {
                // The decoders turn their own allocations into DicomExceptions; this is the last net,
                // so one file's failure never ends the batch.
                problem = file + ": out of memory reading this file (heap limit "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); skipped";
            } catch (StackOverflowError e) {
                problem = file + ": nesting too deep to read (stack overflow)";
            }
            if (problem != null) {
                err.println((a.flag("lenient") ? "skipped " : "error: ") + problem);
                failed++;
            }
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "pneumo dicom: %d of %d files could not be read or decoded%s%n", failed, files.size(),
                    a.flag("lenient") ? " (skipped: --lenient)" : "");
        }
        return failed == 0 || a.flag("lenient") ? 0 : 1;
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
        JsonObject j = new JsonObject();
        j.addProperty("file", file.toString());
        JsonObject ts = new JsonObject();
        ts.addProperty("uid", f.transferSyntax().uid());
        ts.addProperty("name", f.transferSyntax().name());
        j.add("transferSyntax", ts);
        for (String k : KEYWORDS) {
            f.string(k).ifPresent(v -> j.addProperty(k, v));
        }
        IOException pixelProblem = null;
        if (f.hasPixelData()) {
            try {
                Frame frame = f.firstFrame();
                JsonObject px = new JsonObject();
                px.addProperty("rows", frame.rows());
                px.addProperty("columns", frame.columns());
                px.addProperty("samples", frame.samples());
                px.addProperty("frames", f.pixelInfo().numberOfFrames());
                org.pneumolab.io.JsonNumbers.put(px, "min", frame.min(), "the frame has no pixel");
                org.pneumolab.io.JsonNumbers.put(px, "max", frame.max(), "the frame has no pixel");
                org.pneumolab.io.JsonNumbers.put(px, "mean", frame.mean(), "the frame has no pixel");
                j.add("pixels", px);
                if (png != null) {
                    writePng(DicomImages.toGray8(f), png);
                    j.addProperty("png", png.toString());
                }
            } catch (DicomException e) {
                j.addProperty("pixelError", e.problem());
                pixelProblem = e;
            }
        } else {
            j.add("pixels", JsonNull.INSTANCE);
            if (png != null) {
                pixelProblem = new DicomException(file, "no pixel data, no PNG written");
            }
        }
        out.println(GSON.toJson(org.pneumolab.io.JsonNumbers.requireFinite(j)));
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
}
