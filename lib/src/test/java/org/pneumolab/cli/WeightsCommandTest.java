package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.weights.KerasFile;

/**
 * {@code weights --check --dir DIR} on a folder holding a truncated VGG16 file and another
 * file renamed as ResNet50's: each is reported BAD with its name, its md5 and the published one;
 * the missing InceptionV3 file gets its URLs and folder; nothing is downloaded; exit 1. A whole
 * Keras file of another network under ResNet50's name is named as such, not as truncated.
 */
class WeightsCommandTest {
    @Test
    void badAndMissingFilesAreNamedWithBothChecksums(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(KerasFile.VGG16.fileName()), new byte[1000]);               // truncated
        Files.writeString(dir.resolve(KerasFile.RESNET50.fileName()), "another file, renamed");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = new WeightsCommand(new PrintStream(o, true), new PrintStream(e, true))
                .run(List.of("--dir", dir.toString(), "--check"));
        String text = o.toString();
        assertEquals(1, rc, text);
        String vggLine = text.lines().filter(l -> l.contains("BAD") && l.contains(KerasFile.VGG16.fileName())).findFirst().orElse("");
        assertTrue(vggLine.contains(KerasFile.VGG16.md5()) && vggLine.contains("truncated"), text);
        String resLine = text.lines().filter(l -> l.contains("BAD") && l.contains(KerasFile.RESNET50.fileName())).findFirst().orElse("");
        assertTrue(resLine.contains(KerasFile.RESNET50.md5()) && resLine.contains(KerasFile.RESNET50_LEGACY.md5()), text);
        assertTrue(text.contains("MISSING") && text.contains(KerasFile.INCEPTION_V3.urls().get(0)) && text.contains(dir.toString()), text);
        assertEquals("", e.toString(), "--check downloads nothing");
    }

    @Test
    void aRenamedKerasFileIsNamedByItsLayers(@TempDir Path dir) throws Exception {
        Path gen = Files.createDirectories(dir.resolve("gen"));
        org.pneumolab.weights.KerasFiles.make("vgg16-k2", 32, gen);
        Path w = Files.createDirectories(dir.resolve("w"));
        Files.copy(gen.resolve(KerasFile.VGG16.fileName()), w.resolve(KerasFile.RESNET50.fileName()));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int rc = new WeightsCommand(new PrintStream(o, true), new PrintStream(new ByteArrayOutputStream(), true))
                .run(List.of("--dir", w.toString(), "--check"));
        String text = o.toString();
        assertEquals(1, rc, text);
        String resLine = text.lines().filter(l -> l.contains("BAD") && l.contains(KerasFile.RESNET50.fileName())).findFirst().orElse("");
        assertTrue(resLine.contains("block1_conv1") && resLine.contains("another file under this name")
                && !resLine.contains("truncated"), text);
    }

    /** A download that does not match the published checksum is refused and leaves nothing behind. */
    @Test
    void aWrongDownloadIsRefusedAndLeavesNoFile(@TempDir Path dir) throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(3).nextBytes(body);
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (var os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        try {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            boolean ok = new WeightsCommand(new PrintStream(o, true), new PrintStream(e, true)).download(KerasFile.VGG16, dir,
                    List.of("http://127.0.0.1:" + server.getAddress().getPort() + "/vgg16.h5"));
            String log = e.toString();
            assertTrue(!ok && log.contains("300000 / 300000 bytes (100%)") && log.contains(KerasFile.VGG16.md5()), log);
            try (var files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "a refused download leaves nothing");
            }
        } finally {
            server.stop(0);
        }
    }
}
