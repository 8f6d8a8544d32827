package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PneumoTest {

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Pneumo.run(new String[] {"frobnicate"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("unknown command 'frobnicate'"), text);
        assertTrue(text.contains("usage: pneumo"), text);
    }

    @Test
    void badArgumentsOfAKnownCommandExitTwoWithItsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Pneumo.run(new String[] {"env", "--bogus"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: pneumo env"));
    }

    @Test
    void argsParseOptionsFlagsAndPositionals() {
        Args a = Args.parse(List.of("a.dcm", "--png", "out", "--quick", "--seed=7", "b.dcm"),
                Set.of("png", "seed"), Set.of("quick"));
        assertEquals(List.of("a.dcm", "b.dcm"), a.positional());
        assertEquals("out", a.get("png", null));
        assertTrue(a.flag("quick"));
        assertEquals(7, a.getInt("seed", 0));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--png"), Set.of("png"), Set.of()));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--nope"), Set.of(), Set.of()));
        assertThrows(UsageException.class,
                () -> Args.parse(List.of("--seed", "x"), Set.of("seed"), Set.of()).getLong("seed", 0));
    }
}
