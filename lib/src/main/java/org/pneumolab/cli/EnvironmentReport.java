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
            e.put("Kernel LoopThread", kernelLoopThread());
        }
        DataConfig data = DataConfig.load();
        e.put("Project", data.projectHome().toString());
        e.put("RSNA data", data.rsna() + (data.rsnaIsReal() ? " (real)" : " (sample)"));
        e.put("Kermany data", data.kermany() + (data.kermanyIsReal() ? " (real)" : " (sample)"));
        return new EnvironmentReport(e);
    }

    /** Which LoopThread the kernel runs: lib's copy closes rapaio-jupyter-kernel 3.0.1's start-up race. */
    private static String kernelLoopThread() {
        try {
            Class<?> c = Class.forName("org.rapaio.jupyter.kernel.channels.LoopThread", false,
                    EnvironmentReport.class.getClassLoader());
            String where = String.valueOf(c.getProtectionDomain().getCodeSource().getLocation());
            return where.contains("pneumolab-lib") || where.contains("lib/target/classes")
                    ? "lib's fixed copy (start-up race closed)"
                    : "the kernel's own, from " + where + " (start-up race possible)";
        } catch (ClassNotFoundException | RuntimeException e) {
            return "not found";
        }
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
