package org.pneumolab.rehearse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.pneumolab.io.AtomicFiles;

/**
 * A handful of broken files in a generated data set, as a real download has them: a truncated
 * DICOM, a zero-length DICOM, a file that is not DICOM at all, a DICOM cut before its pixel data,
 * a labels row with bad numbers, and a zero-length and a truncated Kermany JPEG. Done once (a
 * marker file lists what was broken), so a resumed rehearsal sees the same damage.
 */
final class BrokenFiles {
    static final String MARKER = "broken-files.txt";

    private BrokenFiles() {
    }

    /** Breaks files under {@code dataRoot} (holding rsna/ and chest_xray/); returns one line per damaged file. */
    static List<String> inject(Path dataRoot) throws IOException {
        Path marker = dataRoot.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            return Files.readAllLines(marker, StandardCharsets.UTF_8);
        }
        List<String> done = new ArrayList<>();
        List<Path> dicoms = sorted(dataRoot.resolve("rsna/stage_2_train_images"), ".dcm");
        if (dicoms.size() >= 8) {
            Path truncated = dicoms.get(1);
            byte[] b = Files.readAllBytes(truncated);
            Files.write(truncated, java.util.Arrays.copyOf(b, b.length / 2));
            done.add(truncated + ": truncated to half its bytes");
            Path empty = dicoms.get(3);
            Files.write(empty, new byte[0]);
            done.add(empty + ": zero length");
            Path notDicom = dicoms.get(5);
            Files.writeString(notDicom, "<html><body>502 Bad Gateway</body></html>\n");
            done.add(notDicom + ": an HTML error page, not DICOM");
            Path headerOnly = dicoms.get(7);
            byte[] h = Files.readAllBytes(headerOnly);
            Files.write(headerOnly, java.util.Arrays.copyOf(h, Math.min(h.length, 700)));
            done.add(headerOnly + ": cut after 700 bytes (header, no pixel data)");
            Path labels = dataRoot.resolve("rsna/stage_2_train_labels.csv");
            Files.writeString(labels, "broken-row-patient,abc,12,-5,NaN,1\n", StandardOpenOption.APPEND);
            done.add(labels + ": a row with bad numbers appended");
        }
        List<Path> jpegs = sorted(dataRoot.resolve("chest_xray/train"), ".jpeg");
        if (jpegs.size() >= 4) {
            Files.write(jpegs.get(0), new byte[0]);
            done.add(jpegs.get(0) + ": zero length");
            byte[] j = Files.readAllBytes(jpegs.get(2));
            Files.write(jpegs.get(2), java.util.Arrays.copyOf(j, j.length / 3));
            done.add(jpegs.get(2) + ": truncated to a third");
        }
        AtomicFiles.writeString(marker, String.join("\n", done) + "\n");
        return done;
    }

    private static List<Path> sorted(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(suffix)).sorted().toList();
        }
    }
}
