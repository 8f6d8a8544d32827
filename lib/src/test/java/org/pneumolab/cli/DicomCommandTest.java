package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomCommandTest {
    private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @TempDir
    Path tmp;

    @Test
    void printsJsonPerFileReportsBadOnesAndWritesPngs() throws Exception {
        Path bad = tmp.resolve("bad.dcm");
        Files.writeString(bad, "nope");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DicomCommand c = new DicomCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Path pngs = tmp.resolve("pngs");
        int exit = c.run(List.of(CORPUS.resolve("CT_small.dcm").toString(), bad.toString(),
                CORPUS.resolve("MR_small_RLE.dcm").toString(), "--png", pngs.toString()));
        assertEquals(1, exit);
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("\"uid\":\"1.2.840.10008.1.2.1\"") && lines[0].contains("\"rows\":128")
                && lines[0].contains("\"min\":-896.0") && lines[0].contains("\"PatientID\":\"1CT1\""), lines[0]);
        // Full precision, read back by a JSON library.
        com.google.gson.JsonObject first = new com.google.gson.JsonParser().parse(lines[0]).getAsJsonObject();
        double mean = first.getAsJsonObject("pixels").get("mean").getAsDouble();
        assertEquals(org.pneumolab.dicom.DicomReader.read(CORPUS.resolve("CT_small.dcm")).firstFrame().mean(), mean);
        assertTrue(lines[1].contains("RLE Lossless"), lines[1]);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(bad + ": not a DICOM file"), err.toString());
        BufferedImage png = ImageIO.read(pngs.resolve("CT_small.png").toFile());
        assertEquals(128, png.getWidth());
        assertTrue(Files.exists(pngs.resolve("MR_small_RLE.png")));
    }

    @Test
    void oneInputPngIsAFileAndRegistered() throws Exception {
        Path png = tmp.resolve("one.png");
        DicomCommand c = new DicomCommand(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, c.run(List.of(CORPUS.resolve("MR_small.dcm").toString(), "--png", png.toString())));
        assertEquals(64, ImageIO.read(png.toFile()).getHeight());
        assertTrue(Pneumo.commands().stream().anyMatch(x -> x.name().equals("dicom")));
    }

    @Test
    void pixelBudgetAndLenient() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DicomCommand c = new DicomCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> files = List.of(CORPUS.resolve("MR_small.dcm").toString(), CORPUS.resolve("CT_small.dcm").toString());
            List<String> args = new java.util.ArrayList<>(files);
            args.addAll(List.of("--max-pixels", "5000"));
            assertEquals(1, c.run(args), err.toString(StandardCharsets.UTF_8));
            String e = err.toString(StandardCharsets.UTF_8);
            assertTrue(e.contains("error: " + files.get(1) + ": image of 128 x 128 samples exceeds the pixel budget of 5000"), e);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"rows\":64"), "the 64 x 64 file is within the budget");
            args.add("--lenient");
            err.reset();
            assertEquals(0, c.run(args));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("skipped " + files.get(1) + ": image of 128 x 128"),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            org.pneumolab.io.PixelBudget.set(org.pneumolab.io.PixelBudget.DEFAULT);
        }
    }
}
