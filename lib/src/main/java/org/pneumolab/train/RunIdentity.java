package org.pneumolab.train;

import org.pneumolab.io.Digests;

/**
 * The lab's one rule for a trained run's identity, shared by detector and classifier runs: the
 * SHA-256 of the run's {@code config.json} text (its spec, written once with Gson in a fixed field
 * order), and the run folder's name, a readable stem and the identity's first 12 hex digits. Any
 * knob that shapes the result is in the spec, so changing it names another folder.
 */
public final class RunIdentity {
    private RunIdentity() {
    }

    /** The identity of a run whose {@code config.json} is {@code configJson}. */
    public static String of(String configJson) {
        return Digests.sha256Hex(configJson);
    }

    /** A run folder name: {@code stem} and the first 12 hex digits of {@link #of}. */
    public static String folderName(String stem, String configJson) {
        return stem + "-" + of(configJson).substring(0, 12);
    }
}
