package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * No ND4J import-table warning ("Duplicate TF op mapping found for op FloorMod") in a command's
 * output. slf4j-simple fixes its levels when its first logger is made, so this runs in a fresh JVM:
 * it initialises the CLI's entry class, then loads the class that logs those warnings (without the
 * first step, the same child prints two of them: Pow and FloorMod, ND4J 1.0.0-M2.1).
 */
class QuietLogsTest {

    /** The child JVM's main: {@code args[0]} says whether to initialise {@link Pneumo} first. */
    public static void main(String[] args) throws Exception {
        if (Boolean.parseBoolean(args[0])) {
            Class.forName("org.pneumolab.cli.Pneumo", true, QuietLogsTest.class.getClassLoader());
        }
        Class.forName("org.nd4j.imports.converters.DifferentialFunctionClassHolder").getMethod("getInstance").invoke(null);
        System.out.println("loaded");
    }

    private static String child(boolean cli) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), QuietLogsTest.class.getName(), Boolean.toString(cli)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("loaded"), out);
        return out;
    }

    @Test
    void theCliKeepsNd4jsImportTableWarningsOut() throws Exception {
        assertFalse(child(true).contains("Duplicate TF op mapping"));
    }
}
