package org.pneumolab.dicom;

import java.util.Map;

/**
 * A transfer syntax: how the data set after the file meta group is encoded (VR explicit or
 * implicit, byte order, deflate) and how pixel data is stored (native or a codec).
 *
 * @param uid          the UID, e.g. {@code 1.2.840.10008.1.2.4.50}
 * @param name         the standard's name for it
 * @param explicitVr   whether elements carry their VR
 * @param bigEndian    byte order of the data set
 * @param deflated     whether the data set is a raw deflate stream
 * @param encapsulated whether pixel data is in fragments (compressed)
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian,
                             boolean deflated, boolean encapsulated) {

    public static final TransferSyntax IMPLICIT_LE =
            new TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static final TransferSyntax EXPLICIT_LE =
            new TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static final TransferSyntax DEFLATED_LE =
            new TransferSyntax("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static final TransferSyntax EXPLICIT_BE =
            new TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);
    public static final String JPEG_BASELINE_UID = "1.2.840.10008.1.2.4.50";
    public static final String RLE_LOSSLESS_UID = "1.2.840.10008.1.2.5";

    /** Names of the encapsulated syntaxes, so an error can say what a file uses. */
    private static final Map<String, String> ENCAPSULATED_NAMES = Map.ofEntries(
            Map.entry(JPEG_BASELINE_UID, "JPEG Baseline (Process 1)"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
            Map.entry("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
            Map.entry(RLE_LOSSLESS_UID, "RLE Lossless"));

    /**
     * The transfer syntax for a UID. Unknown UIDs are taken as encapsulated explicit VR little
     * endian (what every compressed syntax uses), so the header can still be read and only the
     * pixels are refused.
     */
    public static TransferSyntax of(String uid) {
        for (TransferSyntax ts : new TransferSyntax[] {IMPLICIT_LE, EXPLICIT_LE, DEFLATED_LE, EXPLICIT_BE}) {
            if (ts.uid.equals(uid)) {
                return ts;
            }
        }
        return new TransferSyntax(uid, ENCAPSULATED_NAMES.getOrDefault(uid, "unknown transfer syntax"), true, false, false, true);
    }

    /** Whether our pixel decoder handles this syntax. */
    public boolean pixelsSupported() {
        return !encapsulated || uid.equals(JPEG_BASELINE_UID) || uid.equals(RLE_LOSSLESS_UID);
    }

    /** "uid (name)", for messages. */
    public String describe() {
        return uid + " (" + name + ")";
    }
}
