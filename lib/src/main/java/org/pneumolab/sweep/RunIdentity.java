package org.pneumolab.sweep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two detector runs give the same raw detections: the model's name, a hash of its
 * configuration and the checksum of its weights (or the training epoch when weights are not
 * hashed). The raw-detection cache is keyed by this and by the split's image ids.
 */
public record RunIdentity(String name, String configHash, String weights) {
    public RunIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("run identity needs a name");
        }
        if (configHash == null || weights == null) {
            throw new IllegalArgumentException("run identity " + name + " needs a config hash and a weights tag");
        }
    }

    /** From the detector's configuration text (e.g. {@code Detector.configJson()}) and a weights tag. */
    public static RunIdentity of(String name, String configText, String weightsChecksumOrEpoch) {
        return new RunIdentity(name, sha256(configText), weightsChecksumOrEpoch);
    }

    public String key() {
        return "run=" + name + ";config=" + configHash + ";weights=" + weights;
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
