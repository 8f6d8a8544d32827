package org.pneumolab.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one hash behind every identity in the lab: cache keys, run folders, feature files,
 * split fingerprints. One place, so a key written by one part is the key another part looks for.
 */
public final class Digests {
    private Digests() {
    }

    /** A fresh SHA-256 digest, for hashing material in several pieces. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(String text) {
        return hex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(byte[] bytes) {
        return hex(sha256().digest(bytes));
    }

    /** SHA-256 of a file's bytes, streamed (weight files run to hundreds of MB), as 64 lower-case hex digits. */
    public static String sha256Hex(java.nio.file.Path file) throws java.io.IOException {
        MessageDigest md = sha256();
        try (java.io.InputStream in = new java.security.DigestInputStream(java.nio.file.Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return hex(md.digest());
    }

    /** Lower-case hex of a finished digest. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
