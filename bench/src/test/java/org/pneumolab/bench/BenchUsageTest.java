package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code bin/pneumo help}'s bench entry names exactly the options {@link Bench} parses, and each of them parses. */
class BenchUsageTest {

    private static Set<String> options(String text) {
        Set<String> s = new TreeSet<>();
        Matcher m = Pattern.compile("--[a-z][a-z0-9-]*").matcher(text);
        while (m.find()) {
            s.add(m.group());
        }
        return s;
    }

    @Test
    void helpsBenchEntryIsTheBenchsOwnUsage() throws Exception {
        Path home = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(home.resolve("bin/pneumo"))) {
            home = home.getParent();
        }
        String script = Files.readString(home.resolve("bin/pneumo"), StandardCharsets.UTF_8);
        Matcher entry = Pattern.compile("(?m)^  bench (.*)\\n((?:   .*\\n)*)").matcher(script);
        assertTrue(entry.find(), "bin/pneumo help has no bench entry");
        assertEquals(options(Bench.USAGE), options(entry.group(1) + entry.group(2)), "bin/pneumo help, entry 'bench'");
        // Every option of the usage line is one the parser knows (value options get a value).
        Matcher m = Pattern.compile("\\[(--[a-z-]+)( [A-Za-z.]+)?\\]").matcher(Bench.USAGE);
        int n = 0;
        while (m.find()) {
            String[] args = m.group(2) == null ? new String[] {m.group(1)} : new String[] {m.group(1), "3"};
            Bench.Options.parse(args, 2);
            n++;
        }
        assertEquals(options(Bench.USAGE).size(), n, "usage options in an unexpected form: " + Bench.USAGE);
        assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(new String[] {"--bogus"}, 2));
    }
}
