package org.pneumolab.synth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * How the synthetic sample on disk was generated, in words, from its manifest: what every
 * notebook prints before its first result, so nobody reads a number on generated films without
 * knowing how they were drawn. The class shares come from the generator's fixed rules (the real
 * data sets' shares), never from the results the notebooks show.
 */
public final class SampleDescription {
    private SampleDescription() {
    }

    /** The description of the sample under {@code sampleRoot}, or a plain sentence when there is none. */
    public static String of(Path sampleRoot) {
        Path manifest = sampleRoot.resolve(SampleGenerator.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return "No generated sample at " + sampleRoot + " (real data, or not generated yet: bin/pneumo sample).";
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return manifest + ": cannot read the sample manifest (" + e.getMessage() + ")";
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Synthetic sample (bin/pneumo sample, generator version %s, seed %s): ",
                p.getProperty("generatorVersion", "?"), p.getProperty("seed", "?")));
        b.append(String.format(Locale.ROOT, "RSNA: %s training patients + %s test, one %s px DICOM each, detailed "
                        + "classes drawn with RSNA stage 2's shares (%s Lung Opacity, %s No Lung Opacity / Not Normal, "
                        + "%s Normal); ",
                p.getProperty("rsnaTrain", "?"), p.getProperty("rsnaTest", "?"), p.getProperty("rsnaSize", "?"),
                pct(RsnaClass.LUNG_OPACITY.share), pct(RsnaClass.NOT_NORMAL.share), pct(RsnaClass.NORMAL.share)));
        b.append(String.format(Locale.ROOT, "Kermany: %s JPEGs (%s-%s px wide) in the real train/val/test sizes and "
                        + "class counts (5,856 images), scaled. Opacities and films are drawn by fixed rules "
                        + "(org.pneumolab.synth); sizes and class shares were not tuned to any result shown here.",
                p.getProperty("kermanyImageCount", p.getProperty("kermanyImages", "?")),
                p.getProperty("kermanyMinWidth", "?"), p.getProperty("kermanyMaxWidth", "?")));
        return b.toString();
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
