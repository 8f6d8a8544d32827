package org.pneumolab.rehearse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.io.DataProblem;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * The rehearsal's broken DICOMs go the way real data goes (label scan, then decode into the tensor
 * cache through {@link DetectionStudy#open}): each is reported with its file and left out of
 * every split. The truncated one holds a JPEG cut in half; it must be refused, never decoded as
 * if fine.
 */
class BrokenFilesTest {
    @Test
    void everyBrokenDicomIsReportedAndLeftOut(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SampleGenerator.generate(SampleSpec.defaults().withSeed(5).withRsna(16).withKermany(0).withSizes(256, 900, 2000), data);
        List<String> broken = BrokenFiles.inject(data);
        List<Path> brokenDicoms = broken.stream().map(l -> l.substring(0, l.indexOf(": ")))
                .filter(f -> f.endsWith(".dcm")).map(Path::of).toList();
        assertEquals(4, brokenDicoms.size(), "truncated, empty, not DICOM, header only: " + broken);

        DataConfig config = new DataConfig(tmp, Optional.of(data.resolve("rsna")), Optional.empty(), tmp.resolve("no-sample"),
                tmp.resolve("cache"), tmp.resolve("runs"));
        ProblemLog log = ProblemLog.quiet();
        DetectionStudy study = DetectionStudy.open(config, StudySpec.forProfile(Profile.SAMPLE, 5).with(s -> s.inputSize(64)), log);

        Set<Path> reported = log.problems().stream().map(DataProblem::file).filter(f -> f != null)
                .map(f -> f.toAbsolutePath().normalize()).collect(Collectors.toSet());
        Set<String> kept = study.data().split().parts().values().stream().flatMap(List::stream)
                .map(r -> r.patientId()).collect(Collectors.toSet());
        for (Path f : brokenDicoms) {
            assertTrue(reported.contains(f.toAbsolutePath().normalize()), f + " was not reported; problems: " + log.problems());
            String id = f.getFileName().toString().replace(".dcm", "");
            boolean inSplit = study.data().part(StudySpec.TRAIN).stream().anyMatch(s -> s.id().equals(id))
                    || study.data().part(StudySpec.VAL).stream().anyMatch(s -> s.id().equals(id))
                    || study.data().part(StudySpec.HELD_OUT).stream().anyMatch(s -> s.id().equals(id));
            assertFalse(inSplit, f + " was decoded as if fine (it is in a split); kept " + kept.size());
        }
        // the truncated JPEG in particular, with its reason
        Path truncated = brokenDicoms.get(0).toAbsolutePath().normalize();
        DataProblem p = log.problems().stream().filter(x -> x.file() != null
                && x.file().toAbsolutePath().normalize().equals(truncated)).findFirst().orElseThrow();
        System.out.println("truncated DICOM refused: " + p);
    }

    /**
     * A DICOM whose structure is intact but whose JPEG stream is cut short (the fragment's length
     * rewritten to match): the DICOM reader alone cannot tell, so the JPEG checks must refuse it.
     */
    @Test
    void aTruncatedJpegInsideAWellFormedDicomIsRefused(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SampleGenerator.generate(SampleSpec.defaults().withSeed(6).withRsna(12).withKermany(0).withSizes(256, 900, 2000), data);
        Path dir = data.resolve("rsna/stage_2_train_images");
        Path victim;
        try (var files = java.nio.file.Files.list(dir)) {
            victim = files.filter(f -> f.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow();
        }
        byte[] b = java.nio.file.Files.readAllBytes(victim);
        int item = -1; // the last item tag (FFFE,E000) before the sequence delimiter: the JPEG fragment
        for (int i = 0; i + 8 <= b.length; i++) {
            if ((b[i] & 0xff) == 0xFE && (b[i + 1] & 0xff) == 0xFF && b[i + 2] == 0x00 && (b[i + 3] & 0xff) == 0xE0) {
                item = i;
            }
        }
        assertTrue(item > 0, victim + ": no encapsulated fragment found");
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int len = bb.getInt(item + 4);
        assertTrue(len > 100 && (b[item + 8] & 0xff) == 0xFF && (b[item + 9] & 0xff) == 0xD8, "fragment is a JPEG");
        int cut = (len / 2) & ~1;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(b, 0, item + 4);
        out.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(cut).array());
        out.write(b, item + 8, cut);
        out.write(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        java.nio.file.Files.write(victim, out.toByteArray());

        DataConfig config = new DataConfig(tmp, Optional.of(data.resolve("rsna")), Optional.empty(), tmp.resolve("no-sample"),
                tmp.resolve("cache"), tmp.resolve("runs"));
        ProblemLog log = ProblemLog.quiet();
        DetectionStudy study = DetectionStudy.open(config, StudySpec.forProfile(Profile.SAMPLE, 6).with(s -> s.inputSize(64)), log);
        Path abs = victim.toAbsolutePath().normalize();
        DataProblem p = log.problems().stream().filter(x -> x.file() != null
                && x.file().toAbsolutePath().normalize().equals(abs)).findFirst()
                .orElseThrow(() -> new AssertionError(victim + ": a truncated JPEG decoded without complaint; problems " + log.problems()));
        String id = victim.getFileName().toString().replace(".dcm", "");
        for (String part : List.of(StudySpec.TRAIN, StudySpec.VAL, StudySpec.HELD_OUT)) {
            assertFalse(study.data().part(part).stream().anyMatch(s -> s.id().equals(id)), victim + " is in " + part);
        }
        System.out.println("truncated JPEG in a well-formed DICOM refused: " + p);
    }
}
