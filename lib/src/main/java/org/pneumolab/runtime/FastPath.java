package org.pneumolab.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.bytedeco.javacpp.Loader;

/**
 * The ND4J/DL4J CPU fast path: the oneDNN native build that matches this CPU, DL4J's layer
 * helpers switched on, and DL4J M2.1's broken oneDNN check repaired (see
 * {@link org.nd4j.nativeblas.Nd4jCpu}). Stock 1.0.0-M2.1 misses all three and runs convolutions
 * through Java im2col + GEMM in the generic build, 3-5x slower.
 *
 * <p>{@link #enable()} must run before anything loads a JavaCPP native library: JavaCPP reads
 * {@code org.bytedeco.javacpp.platform.extension} once, when it first loads its platform
 * properties, and ND4J loads exactly one build per JVM; after that the build cannot change. The
 * helper switch is different: DL4J reads {@code org.eclipse.deeplearning4j.helpers.disable} each
 * time a layer is created, so it takes effect for every model built after the call.
 * {@link #status()} says what this JVM actually got.
 */
public final class FastPath {
    /** JavaCPP: which build of each native library to load (suffix of the platform name). */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** DL4J M2.1: layer helpers (oneDNN, cuDNN) are off unless this is "false". */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    private FastPath() {
    }

    /** The CPU feature flags each x86-64 build of ND4J is compiled for, best build first. */
    static final Map<String, List<String>> BUILD_REQUIREMENTS = orderedRequirements();

    private static Map<String, List<String>> orderedRequirements() {
        // AVX-512 builds use -march=skylake-avx512 (F, CD, BW, DQ, VL); AVX2 builds -march=haswell.
        List<String> avx512 = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma");
        List<String> avx2 = List.of("avx2", "fma");
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        m.put("-onednn-avx512", avx512);
        m.put("-onednn-avx2", avx2);
        m.put("-avx512", avx512);
        m.put("-avx2", avx2);
        return m;
    }

    /**
     * What {@link #enable()} asked for: {@code extension} is "" for the generic build. Whether the
     * request was in time shows only after ND4J has loaded: see {@link #status()}.
     */
    public record Enablement(String extension, boolean helpersEnabled, String note) {
    }

    /**
     * Chooses the fastest ND4J build this CPU runs and whose jar is on the class path, and enables
     * DL4J's layer helpers. Properties already set (e.g. by {@code bin/pneumo}'s JVM options or
     * {@code -D} on the command line) are respected, never overwritten. Safe to call many times.
     * Touches no JavaCPP class: merely initialising JavaCPP's {@code Loader} loads its own native
     * library and freezes the platform properties, the extension included.
     */
    public static synchronized Enablement enable() {
        if (System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
        boolean helpers = helpersEnabled();
        String preset = System.getProperty(EXTENSION_PROPERTY);
        if (preset != null) {
            return new Enablement(preset, helpers, "native build chosen by " + EXTENSION_PROPERTY + "=" + preset);
        }
        String platform = javacppPlatform();
        String best = bestExtension(platform, cpuFlags(), FastPath::buildOnClassPath);
        if (best.isEmpty()) {
            // Without the property JavaCPP takes whichever build's jar comes first on the class path.
            return new Enablement("", helpers, "no oneDNN/SIMD ND4J build for this CPU on the class path");
        }
        System.setProperty(EXTENSION_PROPERTY, best);
        return new Enablement(best, helpers, "native build " + platform + best + " chosen from the CPU flags");
    }

    /** JavaCPP's platform name, computed as JavaCPP does but without loading JavaCPP. */
    static String javacppPlatform() {
        String explicit = System.getProperty("org.bytedeco.javacpp.platform");
        if (explicit != null && !explicit.isEmpty()) {
            return explicit;
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
                : os.startsWith("windows") ? "windows" : os;
        String a = switch (arch) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return o + "-" + a;
    }

    /**
     * The best extension for {@code platform} given the CPU's flags, among the builds
     * {@code available} accepts ("" = the generic build). Only linux-x86_64 has these builds.
     */
    static String bestExtension(String platform, Set<String> cpuFlags, Predicate<String> available) {
        if (!"linux-x86_64".equals(platform)) {
            return "";
        }
        for (Map.Entry<String, List<String>> build : BUILD_REQUIREMENTS.entrySet()) {
            if (cpuFlags.containsAll(build.getValue()) && available.test(platform + build.getKey())) {
                return build.getKey();
            }
        }
        return "";
    }

    /** The CPU's feature flags from /proc/cpuinfo (empty where there is none, e.g. macOS). */
    public static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Set.of();
        }
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> new TreeSet<>(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
                    .map(s -> (Set<String>) s).orElse(Set.of());
        } catch (IOException e) {
            return Set.of();
        }
    }

    static boolean buildOnClassPath(String platformWithExtension) {
        return FastPath.class.getClassLoader().getResource(BINDINGS + platformWithExtension + "/libjnind4jcpu.so") != null;
    }

    public static boolean helpersEnabled() {
        // DL4J's own parse: Boolean.parseBoolean(getProperty(key, "true")), so only "false" enables.
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
    }

    /** Which ND4J build is loaded and whether DL4J will really use oneDNN. */
    public record Status(String nativeBuild, boolean helpersEnabled, boolean onednnInBuild,
                         boolean onednnCheckPasses, String bestForThisCpu, String requestedExtension) {

        /** True when a ConvolutionLayer built now gets DL4J's oneDNN helper. */
        public boolean active() {
            return helpersEnabled && onednnCheckPasses;
        }

        public String summary() {
            StringBuilder b = new StringBuilder(active() ? "active" : "OFF");
            b.append(" (build ").append(nativeBuild)
                    .append(", helpers ").append(helpersEnabled ? "enabled" : "disabled")
                    .append(", oneDNN in build ").append(onednnInBuild ? "yes" : "no")
                    .append(", DL4J oneDNN check ").append(onednnCheckPasses ? "passes" : "fails").append(')');
            String best = Loader.getPlatform() + bestForThisCpu;
            if (!nativeBuild.equals(best)) {
                b.append("; this CPU could run ").append(best);
                if (!nativeBuild.equals(Loader.getPlatform() + requestedExtension)) {
                    b.append(" (requested '").append(requestedExtension)
                            .append("' too late? FastPath.enable() must run before ND4J loads)");
                }
            }
            return b.toString();
        }
    }

    /** Loads ND4J if needed (so call {@link #enable()} first) and reports what is in effect. */
    public static Status status() {
        org.nd4j.linalg.factory.Nd4j.getExecutioner(); // loads the backend and its native library
        boolean cpu = "CPU".equalsIgnoreCase(org.nd4j.linalg.factory.Nd4j.getExecutioner()
                .getEnvironmentInformation().getProperty("backend"));
        boolean inBuild = false;
        if (cpu) {
            try {
                inBuild = org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
            } catch (RuntimeException e) {
                inBuild = false;
            }
        }
        boolean check = cpu && org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled();
        return new Status(loadedNd4jBuild(), helpersEnabled(), inBuild, check,
                bestExtension(Loader.getPlatform(), cpuFlags(), FastPath::buildOnClassPath),
                System.getProperty(EXTENSION_PROPERTY, ""));
    }

    /** e.g. "linux-x86_64-onednn-avx512", from the path JavaCPP loaded libjnind4jcpu from. */
    public static String loadedNd4jBuild() {
        for (Map.Entry<String, String> lib : Loader.getLoadedLibraries().entrySet()) {
            String path = lib.getValue().replace('\\', '/');
            int at = path.indexOf(BINDINGS);
            if (lib.getKey().contains("nd4j") && at >= 0) {
                String rest = path.substring(at + BINDINGS.length());
                return rest.substring(0, rest.indexOf('/'));
            }
        }
        return "(no ND4J CPU library loaded)";
    }
}
