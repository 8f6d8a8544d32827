package org.pneumolab.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDescriptionTest {
    @Test
    void saysHowTheSampleWasGeneratedFromItsManifest(@TempDir Path tmp) throws Exception {
        assertTrue(SampleDescription.of(tmp).startsWith("No generated sample at "));
        SampleGenerator.generate(SampleSpec.defaults().withSeed(5).withRsna(10).withKermany(0).withSizes(64, 900, 2000), tmp);
        String d = SampleDescription.of(tmp);
        assertTrue(d.contains("seed 5"), d);
        assertTrue(d.contains("10 training patients + 2 test"), d);
        assertTrue(d.contains("22.5% Lung Opacity, 44.0% No Lung Opacity / Not Normal, 33.5% Normal"), d);
        assertTrue(d.contains("not tuned to any result"), d);
    }
}
