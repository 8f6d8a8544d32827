package org.pneumolab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The package structure of docs/ARCHITECTURE.md, checked on the sources: no cycle between
 * top-level packages (a sub-package such as {@code detect.study} counts as its parent), and the
 * foundation and infrastructure packages import nothing from the domain packages above them.
 *
 * <p>The graph is read from the main sources: every {@code org.pneumolab.X} named in code
 * (imports, static imports and fully qualified names; comments and string literals are ignored)
 * is an edge from the file's top-level package to {@code X}.
 */
class PackageDependenciesTest {
    /** Import nothing of ours. */
    private static final Set<String> FOUNDATION = Set.of("geom", "io");
    /**
     * Infrastructure: the process (profile, threads, backend), display and progress, training
     * history. Below every domain package; imports only foundation and each other (acyclically).
     */
    private static final Set<String> INFRASTRUCTURE = Set.of("runtime", "notebook", "train");

    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.pneumolab\\.([a-z][a-z0-9_]*)\\b");

    @Test
    void noCycleBetweenTopLevelPackages() throws IOException {
        Map<String, Map<String, Set<String>>> graph = graph(Path.of("src/main/java/org/pneumolab"));
        assertTrue(graph.size() > 10, "expected the library's packages under src/main/java, found " + graph.keySet());
        List<List<String>> cycles = stronglyConnected(edges(graph));
        if (!cycles.isEmpty()) {
            StringBuilder msg = new StringBuilder("package cycles (sub-packages counted with their parent):");
            for (List<String> c : cycles) {
                msg.append("\n  ").append(c);
                for (String a : c) {
                    for (String b : c) {
                        Set<String> files = graph.get(a).get(b);
                        if (files != null) {
                            msg.append("\n    ").append(a).append(" -> ").append(b).append(": ").append(files);
                        }
                    }
                }
            }
            fail(msg.toString());
        }
    }

    @Test
    void foundationAndInfrastructureImportNoDomainPackage() throws IOException {
        Map<String, Map<String, Set<String>>> graph = graph(Path.of("src/main/java/org/pneumolab"));
        List<String> wrong = new ArrayList<>();
        graph.forEach((from, targets) -> targets.forEach((to, files) -> {
            boolean wrongEdge = FOUNDATION.contains(from)
                    || INFRASTRUCTURE.contains(from) && !FOUNDATION.contains(to) && !INFRASTRUCTURE.contains(to);
            if (wrongEdge) {
                wrong.add(from + " -> " + to + " " + files);
            }
        }));
        assertEquals(List.of(), wrong, "foundation packages " + FOUNDATION + " import nothing of ours; infrastructure "
                + INFRASTRUCTURE + " imports only foundation and infrastructure");
    }

    /** The cycle finder itself, on graphs small enough to check by eye. */
    @Test
    void cycleFinderFindsCyclesAndOnlyCycles() {
        Map<String, Set<String>> acyclic = Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of());
        assertEquals(List.of(), stronglyConnected(acyclic));
        Map<String, Set<String>> cyclic = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of("e"), "e", Set.of("d"));
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e")), stronglyConnected(cyclic));
    }

    @Test
    void referencesAreReadFromCodeNotComments() {
        String src = "package org.pneumolab.viz;\n/** see {@link org.pneumolab.detect.Box} */\n"
                + "import org.pneumolab.geom.Box;\n// org.pneumolab.sweep.X\nclass A { String s = \"org.pneumolab.cli\"; "
                + "org.pneumolab.metrics.RsnaMetric m; }";
        assertEquals(Set.of("geom", "metrics"), references(src));
    }

    static Map<String, Map<String, Set<String>>> graph(Path root) throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue; // org.pneumolab itself: package-info only
                }
                String from = rel.getName(0).toString();
                Map<String, Set<String>> out = graph.computeIfAbsent(from, k -> new TreeMap<>());
                for (String to : references(Files.readString(f))) {
                    if (!to.equals(from)) {
                        out.computeIfAbsent(to, k -> new TreeSet<>()).add(rel.toString());
                    }
                }
            }
        }
        return graph;
    }

    /** Top-level packages of ours named in the code of one source file. */
    static Set<String> references(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("//[^\\n]*", " ")
                .replaceFirst("(?m)^\\s*package\\s+[\\w.]+\\s*;", " "); // a file naming its own package is no edge
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Map<String, Set<String>> edges(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Set<String>> e = new TreeMap<>();
        graph.forEach((a, targets) -> e.put(a, new TreeSet<>(targets.keySet())));
        return e;
    }

    /** Tarjan's strongly connected components with more than one member, each sorted, in name order. */
    static List<List<String>> stronglyConnected(Map<String, Set<String>> edges) {
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(nodes::addAll);
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : nodes) {
            if (!index.containsKey(v)) {
                connect(v, edges, index, low, stack, onStack, out, counter);
            }
        }
        out.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(String::compareTo);
                out.add(component);
            }
        }
    }
}
