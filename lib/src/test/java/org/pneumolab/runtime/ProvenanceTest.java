package org.pneumolab.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @Test
    void namesCommitAndMachineOrSaysItCannot(@TempDir Path notGit) {
        assertEquals("unknown (not a git checkout)", Provenance.commit(notGit));
        // this checkout: a short hash, perhaps with a note on uncommitted changes
        String here = Provenance.commit(Path.of("").toAbsolutePath());
        assertTrue(here.matches("[0-9a-f]{7,}( \\+ uncommitted changes)?|unknown \\(not a git checkout\\)"), here);
        String machine = Provenance.machine();
        assertTrue(machine.contains(Runtime.getRuntime().availableProcessors() + " cores"), machine);
        assertTrue(machine.matches(".*\\d+(\\.\\d+)? [KMGT]iB memory.*"), machine);
    }
}
