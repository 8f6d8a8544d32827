package org.pneumolab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawDetectionCacheTest {
    private final SyntheticRaw data = new SyntheticRaw("p", 40, 21);
    private final RunIdentity run = RunIdentity.of("retinanet-r50", "{\"lr\":1e-4}", "sha256:abc");
    private final List<String> messages = new ArrayList<>();

    private RawDetector counting(AtomicInteger calls) {
        RawDetector d = data.detector();
        return id -> {
            calls.incrementAndGet();
            return d.detectRaw(id);
        };
    }

    @Test
    void secondCallReadsTheCacheWithoutRunningTheDetector(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RawDetections first = new RawDetectionCache(dir, messages::add).get(run, data.split("val"), counting(calls));
        assertEquals(40, calls.get());
        RawDetections second = new RawDetectionCache(dir, messages::add).get(run, data.split("val"), counting(calls));
        assertEquals(40, calls.get(), "detector not called the second time");
        assertEquals(first, second);
        assertEquals(data.raw, second.detections(), "boxes and scores round-trip exactly");
        assertTrue(messages.get(1).contains("reusing"), messages.toString());
    }

    @Test
    void anotherRunOrSplitIsNotServedFromTheCache(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RawDetectionCache cache = new RawDetectionCache(dir, messages::add);
        cache.get(run, data.split("val"), counting(calls));
        cache.get(new RunIdentity(run.name(), run.configHash(), "sha256:def"), data.split("val"), counting(calls));
        assertEquals(80, calls.get(), "new weights: detector runs again");
        cache.get(RunIdentity.of(run.name(), "{\"lr\":1e-3}", "sha256:abc"), data.split("val"), counting(calls));
        assertEquals(120, calls.get(), "new config: detector runs again");
        SplitIds fewer = new SplitIds("val", data.split("val").ids().subList(0, 30));
        cache.get(run, fewer, counting(calls));
        assertEquals(150, calls.get(), "same split name, other images: detector runs again");
        assertNotEquals(cache.fileFor(run, fewer), cache.fileFor(run, data.split("val")));
        cache.get(run, fewer, counting(calls));
        assertEquals(150, calls.get(), "the newest key reuses its file");
        assertTrue(cache.invalidate(run, fewer));
        cache.get(run, fewer, counting(calls));
        assertEquals(180, calls.get(), "after invalidate the detector runs again");
    }

    @Test
    void filesReplacedByANewerRunAreRemoved(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RawDetectionCache cache = new RawDetectionCache(dir, messages::add);
        cache.get(run, data.split("val"), counting(calls));
        cache.get(run, data.split("held-out"), counting(calls));
        Path old = cache.fileFor(run, data.split("val"));
        RunIdentity retrained = new RunIdentity(run.name(), run.configHash(), "sha256:retrained");
        cache.get(retrained, data.split("val"), counting(calls));
        assertFalse(Files.exists(old), "the earlier run's file for the split is gone");
        assertTrue(Files.exists(cache.fileFor(retrained, data.split("val"))));
        assertTrue(Files.exists(cache.fileFor(run, data.split("held-out"))), "other splits are left alone");
        RunIdentity other = new RunIdentity(run.name() + "-b", run.configHash(), "sha256:abc");
        cache.get(other, data.split("val"), counting(calls));
        assertTrue(Files.exists(cache.fileFor(retrained, data.split("val"))), "another run's files are left alone");
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("raw detections: removed " + old)), messages.toString());
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count());
        }
    }

    @Test
    void aCorruptFileIsReportedAndRebuilt(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RawDetectionCache cache = new RawDetectionCache(dir, messages::add);
        RawDetections original = cache.get(run, data.split("val"), counting(calls));
        Path file = cache.fileFor(run, data.split("val"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
        RawDetections rebuilt = cache.get(run, data.split("val"), counting(calls));
        assertEquals(80, calls.get());
        assertEquals(original, rebuilt);
        String report = messages.get(messages.size() - 1);
        assertTrue(report.startsWith("raw detections: rebuilt " + file) && report.contains("checksum"), report);
        assertTrue(messages.stream().noneMatch(m -> m.contains("skipped:")), messages.toString());

        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 5));
        cache.get(run, data.split("val"), counting(calls));
        assertEquals(120, calls.get(), "a truncated file is rebuilt too");
        assertEquals(original, cache.get(run, data.split("val"), counting(calls)));
        assertEquals(120, calls.get(), "and the rebuilt file is reused");
    }

    @Test
    void anImageTheDetectorCannotReadIsReportedAndSkipped(@TempDir Path dir) throws Exception {
        RawDetector base = data.detector();
        RawDetector flaky = id -> {
            if (id.equals("p-3")) {
                throw new IOException("p-3.dcm: truncated pixel data");
            }
            return base.detectRaw(id);
        };
        RawDetections raw = new RawDetectionCache(dir, messages::add).get(run, data.split("val"), flaky);
        assertEquals(39, raw.detections().size());
        assertEquals(List.of("p-3: p-3.dcm: truncated pixel data"), raw.skipped());
        assertTrue(messages.stream().anyMatch(m -> m.contains("skipped image p-3")), messages.toString());
        RawDetections again = new RawDetectionCache(dir, messages::add).get(run, data.split("val"), id -> {
            throw new AssertionError("cached");
        });
        assertEquals(raw.skipped(), again.skipped(), "the skip list is cached with the detections");
    }

    @Test
    void adaptsTheDetectPackagesInferenceWithRawSettings() throws Exception {
        List<org.pneumolab.detect.PostProcess> seen = new ArrayList<>();
        org.pneumolab.detect.Detector fake = new org.pneumolab.detect.Detector() {
            public String configJson() {
                return "{}";
            }

            public String initNote() {
                return "a fake";
            }

            public org.nd4j.autodiff.samediff.SameDiff graph() {
                throw new UnsupportedOperationException();
            }

            public java.util.Map<String, Double> fitBatch(org.pneumolab.data.DetectionBatch b, long s) {
                throw new UnsupportedOperationException();
            }

            public java.util.Map<String, Double> losses(org.pneumolab.data.DetectionBatch b, long s) {
                throw new UnsupportedOperationException();
            }

            public List<org.pneumolab.detect.ImageDetections> detect(org.pneumolab.data.DetectionBatch images,
                    org.pneumolab.detect.PostProcess pp) {
                seen.add(pp);
                String id = images.ids().get(0);
                return List.of(new org.pneumolab.detect.ImageDetections(id, data.raw.get(id)));
            }
        };
        RawDetector raw = RawDetector.of(fake,
                id -> new org.pneumolab.data.DetectionBatch(org.nd4j.linalg.factory.Nd4j.zeros(1, 1, 4, 4),
                        List.of(List.of()), List.of(id), List.of(org.pneumolab.geom.ResizeGeometry.stretch(1024, 1024, 4, 4))), 300);
        assertEquals(data.raw.get("p-5"), raw.detectRaw("p-5"));
        assertEquals(org.pneumolab.detect.PostProcess.raw(300), seen.get(0), "very low threshold, no NMS");
    }
}
