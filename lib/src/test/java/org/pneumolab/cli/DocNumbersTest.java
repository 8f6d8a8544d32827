package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.synth.SampleSpec;

/**
 * Settings the code decides and the docs state in words: the default sample's size (README,
 * data/README, bin/pneumo help) and Faster R-CNN's fixed inference batch (ARCHITECTURE). A change
 * to either side without the other fails here.
 */
class DocNumbersTest {

    private static String read(String file) throws IOException {
        // one space for any run of whitespace and Markdown line breaks, so wrapped sentences match
        return Files.readString(HelpTextTest.projectHome().resolve(file), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }

    @Test
    void theDefaultSampleSizeIsTheOneTheDocsState() throws IOException {
        SampleSpec d = SampleSpec.defaults();
        String pair = d.rsnaTrain() + " + " + d.rsnaTest() + " RSNA";
        assertTrue(read("README.md").contains(pair), "README: " + pair);
        assertTrue(read("data/README.md").contains(pair), "data/README.md: " + pair);
        assertTrue(read("bin/pneumo").contains(d.rsnaTrain() + " and " + d.rsnaTest()), "bin/pneumo help's sample entry");
    }

    @Test
    void fasterRcnnsInferenceBatchIsTheOneArchitectureStates() throws IOException {
        int batch = FasterRcnnConfig.sample(1, false).inferenceBatch();
        String said = "Faster R-CNN's is fixed at " + batch + " images per backbone pass";
        assertTrue(read("docs/ARCHITECTURE.md").contains(said), "docs/ARCHITECTURE.md: " + said);
    }
}
