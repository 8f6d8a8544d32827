package org.pneumolab.runtime;

import java.util.Map;

/**
 * Keeps library log lines that mean nothing to a user of the lab's commands out of their output.
 * Today that is ND4J's {@code Duplicate TF op mapping found for op FloorMod} (and {@code Pow}):
 * {@code ImportClassMapping} warns about its TensorFlow import table, which the lab never uses,
 * whenever SameDiff first loads. slf4j-simple reads its levels from system properties once, when
 * its first logger is made, so {@link #apply()} must run before anything loads ND4J. A level the
 * user set on the command line ({@code -Dorg.slf4j.simpleLogger.log...}) is left as it is.
 */
public final class QuietLogs {

    /** slf4j-simple's property per logger, and the level it is kept to. */
    static final Map<String, String> LEVELS = Map.of(
            "org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", "error");

    private QuietLogs() {
    }

    public static void apply() {
        LEVELS.forEach((property, level) -> {
            if (System.getProperty(property) == null) {
                System.setProperty(property, level);
            }
        });
    }
}
