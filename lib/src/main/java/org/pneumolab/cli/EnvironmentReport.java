package org.pneumolab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DataConfig;
import org.pneumolab.runtime.FastPath;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** What this JVM runs on: versions, ND4J backend and native build, cores, memory, data. */
public record EnvironmentReport(Map<String, String> entries) {

    public static EnvironmentReport collect() {
        Map<String, String> e = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        e.put("Java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        e.put("OS / arch", System.getProperty("os.name") + " " + System.getProperty("os.version") + " / "
                + System.getProperty("os.arch"));
        e.put("CPU cores (JVM)", String.valueOf(rt.availableProcessors()));
        e.put("Java heap max", mib(rt.maxMemory()));
        e.put("Off-heap limit (JavaCPP)", mib(org.bytedeco.javacpp.Pointer.maxBytes()));
        e.put("Physical memory", mib(org.bytedeco.javacpp.Pointer.totalPhysicalBytes()));
        e.put("Deeplearning4j", implVersion("org.deeplearning4j.nn.graph.ComputationGraph"));
        e.put("ND4J", implVersion("org.nd4j.linalg.factory.Nd4j"));
        e.put("ND4J backend", Nd4j.getBackend().getClass().getSimpleName()
                + (Nd4j.getEnvironment().isCPU() ? " (CPU)" : " (GPU)"));
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        for (String key : List.of("blas.vendor", "omp.threads", "cores")) {
            if (info.containsKey(key)) {
                e.put("ND4J " + key, String.valueOf(info.get(key)));
            }
        }
        e.put("JavaCPP platform", Loader.getPlatform());
        String ext = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
        e.put("Native build requested", ext.isEmpty() ? "generic" : ext.substring(1));
        e.put("Native library loaded", loadedNd4jLibrary());
        e.put("DL4J helpers (oneDNN)", FastPath.helpersEnabled() ? "enabled" : "disabled (DL4J default)");
        e.put("oneDNN fast path", FastPath.status().summary());
        if (org.pneumolab.notebook.Notebook.isActive()) {
            e.put("Kernel fixes", kernelFixes());
        }
        DataConfig data = DataConfig.load();
        e.put("Project", data.projectHome().toString());
        e.put("RSNA data", data.rsna() + (data.rsnaIsReal() ? " (real)" : " (sample)"));
        e.put("Kermany data", data.kermany() + (data.kermanyIsReal() ? " (real)" : " (sample)"));
        return new EnvironmentReport(e);
    }

    /**
     * Whether the kernel runs lib's fixed copies of rapaio-jupyter-kernel 3.0.1's classes (start-up
     * races, Kernel > Interrupt); they only work when lib comes first on the kernel's class path.
     */
    private static String kernelFixes() {
        List<String> notOurs = new ArrayList<>();
        for (String name : List.of("channels.LoopThread", "channels.Channels", "channels.ControlChannel",
                "core.java.RapaioExecutionControl")) {
            try {
                Class<?> c = Class.forName("org.rapaio.jupyter.kernel." + name, false,
                        EnvironmentReport.class.getClassLoader());
                String where = String.valueOf(c.getProtectionDomain().getCodeSource().getLocation());
                if (!where.contains("pneumolab-lib") && !where.contains("lib/target/classes")) {
                    notOurs.add(name.substring(name.lastIndexOf('.') + 1));
                }
            } catch (ClassNotFoundException | RuntimeException e) {
                notOurs.add(name + " (not found)");
            }
        }
        return notOurs.isEmpty()
                ? "lib's fixed classes (start-up races closed, interrupt keeps the kernel)"
                : "the kernel's own " + String.join(", ", notOurs) + " (start-up races and broken interrupts possible)";
    }

    private static String loadedNd4jLibrary() {
        List<String> hits = new ArrayList<>();
        for (Map.Entry<String, String> lib : Loader.getLoadedLibraries().entrySet()) {
            if (lib.getKey().contains("nd4j")) {
                hits.add(lib.getValue());
            }
        }
        if (hits.isEmpty()) {
            return "(none reported)";
        }
        String path = hits.get(0);
        int bindings = path.indexOf("bindings/");
        return bindings >= 0 ? path.substring(bindings + "bindings/".length()) : path;
    }

    private static String implVersion(String className) {
        try {
            Package p = Class.forName(className).getPackage();
            String v = p.getImplementationVersion();
            if (v != null) {
                return v;
            }
            String loc = Class.forName(className).getProtectionDomain().getCodeSource().getLocation().getPath();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d[^/]*?)\\.jar$").matcher(loc);
            return m.find() ? m.group(1) : "unknown";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String mib(long bytes) {
        return bytes <= 0 ? "unlimited" : (bytes >> 20) + " MiB";
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        int w = entries.keySet().stream().mapToInt(String::length).max().orElse(10);
        entries.forEach((k, v) -> b.append(String.format("%-" + w + "s  %s%n", k, v)));
        return b.toString().stripTrailing();
    }

    public Table toTable() {
        return Table.create("Environment",
                StringColumn.create("item", entries.keySet()),
                StringColumn.create("value", entries.values()));
    }
}
