package org.pneumolab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataConfigTest {

    @Test
    void nothingConfiguredMeansTheSample(@TempDir Path home) {
        DataConfig c = DataConfig.load(Map.of(), home);
        assertFalse(c.rsnaIsReal());
        assertFalse(c.kermanyIsReal());
        assertEquals(home.resolve("data/sample/rsna"), c.rsna());
        assertEquals(home.resolve("data/sample/chest_xray"), c.kermany());
        assertEquals(home.resolve("data/cache"), c.cacheRoot());
    }

    @Test
    void environmentBeatsTheFileAndDataRootFillsTheRest(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/config.properties"), "rsna=from-file\nkermany=k-from-file\n");
        DataConfig fileOnly = DataConfig.load(Map.of(), home);
        assertEquals(home.resolve("from-file"), fileOnly.rsna());
        assertTrue(fileOnly.rsnaIsReal());

        DataConfig env = DataConfig.load(Map.of("PNEUMO_RSNA", "/x/rsna", "PNEUMO_CACHE", "/c"), home);
        assertEquals(Path.of("/x/rsna"), env.rsna());
        assertEquals(home.resolve("k-from-file"), env.kermany());
        assertEquals(Path.of("/c"), env.cacheRoot());

        // PNEUMO_DATA is the environment too: it beats the file's lines (data/README.md's order).
        DataConfig rootOverFile = DataConfig.load(Map.of("PNEUMO_DATA", "/d", "PNEUMO_KERMANY", "/k"), home);
        assertEquals(Path.of("/d/rsna"), rootOverFile.rsna());
        assertEquals(Path.of("/k"), rootOverFile.kermany(), "PNEUMO_KERMANY beats PNEUMO_DATA");

        Files.delete(home.resolve("data/config.properties"));
        DataConfig root = DataConfig.load(Map.of("PNEUMO_DATA", "/d"), home);
        assertEquals(Path.of("/d/rsna"), root.rsna());
        assertEquals(Path.of("/d/chest_xray"), root.kermany());
    }
}
