package org.pneumolab.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the lab looks for ImageNet weight files, and the check every file passes before use.
 * Folders, in order: {@code $PNEUMO_WEIGHTS} (a folder, or one file), then Keras's own cache
 * {@code ~/.keras/models/} (so files a Keras install downloaded are found as they are).
 */
public final class WeightStore {
    /** The same file is hashed once per process (keyed by path, size and modification time). */
    private static final Map<String, Verified> VERIFIED = new ConcurrentHashMap<>();

    private final List<Path> folders;
    private final Optional<Path> explicitFile;

    public WeightStore(List<Path> folders, Optional<Path> explicitFile) {
        this.folders = List.copyOf(folders);
        this.explicitFile = explicitFile;
    }

    /** {@code $PNEUMO_WEIGHTS}, then {@code ~/.keras/models/}. */
    public static WeightStore standard() {
        List<Path> folders = new ArrayList<>();
        Optional<Path> file = Optional.empty();
        String env = System.getenv("PNEUMO_WEIGHTS");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.trim());
            if (Files.isRegularFile(p)) {
                file = Optional.of(p);
            } else {
                folders.add(p);
            }
        }
        folders.add(kerasCache());
        return new WeightStore(folders, file);
    }

    /** Only {@code dir} (the {@code weights --dir} option, tests). */
    public static WeightStore in(Path dir) {
        return new WeightStore(List.of(dir), Optional.empty());
    }

    public static Path kerasCache() {
        return Path.of(System.getProperty("user.home"), ".keras", "models");
    }

    public List<Path> folders() {
        return folders;
    }

    /** The first existing file named {@code fileName} in the search order. */
    public Optional<Path> find(String fileName) {
        if (explicitFile.isPresent() && explicitFile.get().getFileName().toString().equals(fileName)) {
            return explicitFile;
        }
        for (Path f : folders) {
            Path candidate = f.resolve(fileName);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Where a missing file should go: the first folder searched. */
    public Path targetFolder() {
        return folders.get(0);
    }

    /**
     * A file that matched a published checksum.
     *
     * @param variant which published file it is (for ResNet50, which of the two namings)
     */
    public record Verified(Path file, KerasFile variant, String md5, String sha256, long size) {
        /** "FILE (sha256 ...)" for a backbone's weights report. */
        public String describe() {
            return file.toAbsolutePath() + " (" + variant.layout() + "; sha256 " + sha256 + ", md5 " + md5 + ")";
        }
    }

    /** A file that exists but is not one of the published ones: truncated, corrupt or another file. */
    public static final class BadWeightFile extends IOException {
        public BadWeightFile(String message) {
            super(message);
        }
    }

    /**
     * Hashes {@code file} and matches it against the published checksums of the files with its
     * name ({@link KerasFile#named}).
     *
     * @throws BadWeightFile naming the file, its checksum and the published one(s)
     */
    public static Verified verify(Path file) throws IOException {
        return verify(file, file.getFileName().toString());
    }

    /** As above for a file that will be called {@code name} (a download before its rename). */
    public static Verified verify(Path file, String name) throws IOException {
        List<KerasFile> expected = KerasFile.named(name);
        if (expected.isEmpty()) {
            throw new BadWeightFile(file + ": not a weight file the lab knows (expected one of "
                    + java.util.Arrays.stream(KerasFile.values()).map(KerasFile::fileName).distinct().toList() + ")");
        }
        long size = Files.size(file);
        String key = file.toAbsolutePath() + "|" + size + "|" + Files.getLastModifiedTime(file).toMillis();
        Verified cached = VERIFIED.get(key);
        if (cached != null) {
            return cached;
        }
        String[] h = hashes(file);
        for (KerasFile k : expected) {
            if (k.md5().equals(h[0])) {
                Verified v = new Verified(file, k, h[0], h[1], size);
                VERIFIED.put(key, v);
                return v;
            }
        }
        StringBuilder msg = new StringBuilder(file + ": md5 " + h[0] + " (" + size + " bytes) matches no published checksum: ");
        for (int i = 0; i < expected.size(); i++) {
            KerasFile k = expected.get(i);
            msg.append(i == 0 ? "" : "; ").append("Keras publishes md5 ").append(k.md5()).append(" for the ")
                    .append(k.layout()).append(k.size() > 0 ? ", " + k.size() + " bytes" : "");
        }
        List<String> layers = KerasH5.layerNames(file);
        long known = expected.stream().mapToLong(KerasFile::size).max().orElse(-1);
        if (!layers.isEmpty()) {
            // a whole Keras file: say what it is, so a renamed file is not taken for a broken download
            msg.append(". It is a readable Keras weight file whose first layers are ")
                    .append(layers.stream().limit(4).toList()).append(" (")
                    .append(layers.size()).append(" layers): another file under this name");
        } else if (known > 0 && size < known) {
            msg.append(". The file is shorter than published and not a readable Keras file: truncated (an interrupted download?)");
        } else {
            msg.append(". It is not a readable Keras weight file");
        }
        msg.append(". Delete it and fetch it again (bin/pneumo weights).");
        throw new BadWeightFile(msg.toString());
    }

    /** {md5, sha256} in one pass, lower-case hex. */
    static String[] hashes(Path file) throws IOException {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md5.update(buf, 0, n);
                    sha.update(buf, 0, n);
                }
            }
            return new String[]{HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha.digest())};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5 or SHA-256", e);
        }
    }

    /** Forget the hashes of this process (tests that rewrite a file in place). */
    static void forgetVerified() {
        VERIFIED.clear();
    }
}
