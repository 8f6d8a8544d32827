package org.pneumolab.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one place that says where the data is. Real data is configured, in this order, by
 * <ol>
 *   <li>the environment: {@code PNEUMO_RSNA} (the folder holding {@code stage_2_train_labels.csv})
 *       and {@code PNEUMO_KERMANY} (the folder holding {@code train/ val/ test/}, i.e.
 *       {@code chest_xray}); then {@code PNEUMO_DATA}, a folder with {@code rsna/} and
 *       {@code chest_xray/} inside;</li>
 *   <li>{@code data/config.properties} in the project, with keys {@code rsna=} and {@code kermany=}.</li>
 * </ol>
 * Whatever is not configured falls back to the generated sample under {@code data/sample/}.
 * Caches (decoded tensors, bottleneck features) live under {@code data/cache/} unless
 * {@code PNEUMO_CACHE} says otherwise; runs under {@code runs/}.
 */
public record DataConfig(Path projectHome, Optional<Path> realRsna, Optional<Path> realKermany,
                         Path sampleRoot, Path cacheRoot, Path runsRoot) {

    /** Reads the configuration from the environment and {@code data/config.properties}. */
    public static DataConfig load() {
        return load(System.getenv(), findProjectHome());
    }

    static DataConfig load(Map<String, String> env, Path home) {
        Properties file = new Properties();
        Path props = home.resolve("data/config.properties");
        if (Files.isRegularFile(props)) {
            try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new IllegalStateException(props + ": cannot read data configuration: " + e.getMessage(), e);
            }
        }
        // The environment first, the file second (data/README.md): PNEUMO_RSNA / PNEUMO_KERMANY,
        // then PNEUMO_DATA's rsna/ and chest_xray/, then the file's rsna= / kermany=. A variable
        // set for one shell must win over a file that stays for every run.
        Optional<Path> dataRoot = Optional.ofNullable(blankToNull(env.get("PNEUMO_DATA"))).map(Path::of);
        Optional<Path> rsna = fromEnv(env.get("PNEUMO_RSNA"))
                .or(() -> dataRoot.map(d -> d.resolve("rsna")))
                .or(() -> fromFile(file.getProperty("rsna"), home));
        Optional<Path> kermany = fromEnv(env.get("PNEUMO_KERMANY"))
                .or(() -> dataRoot.map(d -> d.resolve("chest_xray")))
                .or(() -> fromFile(file.getProperty("kermany"), home));
        Path cache = Optional.ofNullable(blankToNull(env.get("PNEUMO_CACHE"))).map(Path::of)
                .orElse(home.resolve("data/cache"));
        return new DataConfig(home, rsna, kermany, home.resolve("data/sample"), cache, home.resolve("runs"));
    }

    private static Optional<Path> fromEnv(String value) {
        return Optional.ofNullable(blankToNull(value)).map(Path::of);
    }

    private static Optional<Path> fromFile(String value, Path home) {
        return Optional.ofNullable(blankToNull(value)).map(v -> home.resolve(v.trim()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The project folder: {@code -Dpneumolab.home} (set by the kernel and the launcher), else
     * {@code PNEUMO_HOME}, else the nearest folder above the working directory that holds
     * {@code lib/pom.xml}, else the working directory.
     */
    public static Path findProjectHome() {
        String prop = System.getProperty("pneumolab.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("PNEUMO_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("lib/pom.xml"))) {
                return p;
            }
        }
        return cwd;
    }

    /** The RSNA folder in use: the real one when configured, else the sample's. */
    public Path rsna() {
        return realRsna.orElse(sampleRoot.resolve("rsna"));
    }

    /** The Kermany {@code chest_xray} folder in use: the real one when configured, else the sample's. */
    public Path kermany() {
        return realKermany.orElse(sampleRoot.resolve("chest_xray"));
    }

    public boolean rsnaIsReal() {
        return realRsna.isPresent();
    }

    public boolean kermanyIsReal() {
        return realKermany.isPresent();
    }

    /** Where {@link TensorCache} keeps decoded, resized images: {@code <cacheRoot>/tensors}. */
    public Path tensorCache() {
        return cacheRoot.resolve("tensors");
    }

    /** One line per data set: which folder and whether it is real or the sample. */
    public String describe() {
        return "RSNA:    " + rsna() + (rsnaIsReal() ? "  (real, configured)" : "  (generated sample)") + "\n"
                + "Kermany: " + kermany() + (kermanyIsReal() ? "  (real, configured)" : "  (generated sample)");
    }
}
