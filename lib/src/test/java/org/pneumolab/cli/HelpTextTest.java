package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/pneumo help} is written by hand in the shell script (it must answer before anything is
 * built). This holds it to the library: every command lib dispatches is listed there, with exactly
 * the options the command parses; the command's own usage line names the same options; the
 * script's list of library commands (which refuses any other word before setup) is lib's; and an
 * unknown word exits 2 without building anything.
 */
class HelpTextTest {

    static final Path SCRIPT = projectHome().resolve("bin/pneumo");
    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z0-9-]*)");

    static Path projectHome() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/pneumo"))) {
                return p;
            }
        }
        throw new IllegalStateException("no bin/pneumo above " + Path.of("").toAbsolutePath());
    }

    /** The usage text: the here-document of the script's usage(). */
    static String usageText() throws IOException {
        String s = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        int start = s.indexOf("usage() {\n  cat <<'TXT'\n");
        assertTrue(start >= 0, "no usage() here-document in " + SCRIPT);
        start = s.indexOf('\n', s.indexOf("<<'TXT'", start)) + 1;
        return s.substring(start, s.indexOf("\nTXT\n", start));
    }

    /** Each entry of the usage text (a line with two spaces, then the command) with its continuation lines. */
    static Map<String, String> entries(String usage) {
        Map<String, String> m = new LinkedHashMap<>();
        String current = null;
        for (String line : usage.split("\n")) {
            Matcher e = Pattern.compile("^  ([a-z][a-z-]*)(\\s.*)?$").matcher(line);
            if (e.matches()) {
                current = e.group(1);
                m.put(current, line);
            } else if (current != null && line.startsWith("   ")) {
                m.put(current, m.get(current) + "\n" + line);
            } else {
                current = null;
            }
        }
        return m;
    }

    static Set<String> options(String text) {
        Set<String> s = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            s.add(m.group(1));
        }
        return s;
    }

    @Test
    void helpListsEveryLibraryCommandWithExactlyTheOptionsItParses() throws IOException {
        Map<String, String> help = entries(usageText());
        for (Command c : Pneumo.commands()) {
            Set<String> parsed = new TreeSet<>(c.valueOptions());
            parsed.addAll(c.flags());
            assertTrue(help.containsKey(c.name()), "bin/pneumo help does not list '" + c.name() + "'");
            assertEquals(parsed, options(help.get(c.name())), "bin/pneumo help, entry '" + c.name() + "'");
            assertEquals(parsed, options(c.usage()), "the usage line of " + c.getClass().getSimpleName());
        }
    }

    @Test
    void theReadmesCommandTableNamesEachLibraryCommandWithItsOptions() throws IOException {
        String readme = Files.readString(projectHome().resolve("README.md"), StandardCharsets.UTF_8);
        for (Command c : Pneumo.commands()) {
            Matcher row = Pattern.compile("(?m)^\\| `bin/pneumo " + Pattern.quote(c.name()) + "[ `].*$").matcher(readme);
            assertTrue(row.find(), "README's command table has no row for 'bin/pneumo " + c.name() + "'");
            Set<String> parsed = new TreeSet<>(c.valueOptions());
            parsed.addAll(c.flags());
            assertEquals(parsed, options(row.group()), "README's row for '" + c.name() + "'");
        }
    }

    @Test
    void theScriptsListOfLibraryCommandsIsLibsAndHelpListsEveryScriptCommand() throws IOException {
        String s = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^LIB_COMMANDS=\"([^\"]*)\"").matcher(s);
        assertTrue(m.find(), "no LIB_COMMANDS in " + SCRIPT);
        List<String> lib = Arrays.asList(m.group(1).trim().split("\\s+"));
        assertEquals(Pneumo.commands().stream().map(Command::name).collect(Collectors.toCollection(TreeSet::new)),
                new TreeSet<>(lib), "LIB_COMMANDS in bin/pneumo");
        // The script's own commands: the words of its dispatch case, help's aliases aside.
        Set<String> commands = new TreeSet<>(lib);
        Matcher c = Pattern.compile("(?m)^  ([a-z][a-z|-]*)\\)").matcher(s.substring(s.indexOf("case \"$cmd\" in")));
        while (c.find()) {
            Arrays.stream(c.group(1).split("\\|")).filter(w -> !w.startsWith("-") && !w.equals("help")).forEach(commands::add);
        }
        assertTrue(commands.containsAll(Set.of("run", "test", "setup", "lab", "bench")), commands.toString());
        assertEquals(commands, new TreeSet<>(entries(usageText()).keySet()), "the commands bin/pneumo help lists");
    }

    @Test
    void anUnknownCommandExitsTwoBeforeAnySetup() throws Exception {
        // A PATH with only what the script itself needs to start (no java, mvn or apt-get): any
        // setup step would fail differently, and say so in a "[pneumo]" line.
        Path bin = Files.createTempDirectory("pneumo-path");
        for (String tool : List.of("dirname", "cat")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "frobnicate").redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("unknown command 'frobnicate'") && out.contains("usage: bin/pneumo"), out);
        assertTrue(!out.contains("[pneumo]"), "a setup step ran: " + out);
    }
}
