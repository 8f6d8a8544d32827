package org.pneumolab.sweep;

import org.pneumolab.io.Digests;

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
        return new RunIdentity(name, Digests.sha256Hex(configText), weightsChecksumOrEpoch);
    }

    public String key() {
        return "run=" + name + ";config=" + configHash + ";weights=" + weights;
    }
}
