package org.pneumolab.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import org.pneumolab.io.AtomicFiles;

/**
 * Writes DICOM Part 10 files the way the RSNA Pneumonia Detection Challenge ships them: a
 * Secondary Capture of a chest radiograph (Modality CR) whose 8-bit MONOCHROME2 pixels are one
 * encapsulated JPEG Baseline fragment. Group 2 and the data set are both explicit VR little
 * endian, as the JPEG transfer syntaxes require.
 *
 * <p>Only what the sample generator needs is written; it is not a general DICOM encoder.
 */
public final class DicomWriter {

    /** JPEG Baseline (Process 1): the transfer syntax of every RSNA image. */
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    /** Secondary Capture Image Storage, RSNA's SOP class. */
    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    /** Our implementation class UID (a UUID-derived 2.25 root, fixed once for this project). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.111986226385104779328470391151093390397";
    public static final String IMPLEMENTATION_VERSION = "PNEUMOLAB_SYNTH_1";

    /**
     * What goes into one chest radiograph's header.
     *
     * @param patientAge  a plain number such as {@code "51"}, as RSNA stores it (not {@code "051Y"})
     * @param viewPosition {@code "AP"} or {@code "PA"}
     * @param pixelSpacing millimetres per pixel, the same along rows and columns
     */
    public record ChestRadiograph(String patientId, String patientName, String patientSex, String patientAge,
                                  String viewPosition, int rows, int columns, double pixelSpacing,
                                  String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {
        public ChestRadiograph {
            Objects.requireNonNull(patientId, "patientId");
            Objects.requireNonNull(patientName, "patientName");
            if (!patientSex.equals("M") && !patientSex.equals("F") && !patientSex.equals("O")) {
                throw new IllegalArgumentException("patientSex must be M, F or O, got '" + patientSex + "'");
            }
            if (!viewPosition.equals("AP") && !viewPosition.equals("PA")) {
                throw new IllegalArgumentException("viewPosition must be AP or PA, got '" + viewPosition + "'");
            }
            if (rows <= 0 || columns <= 0 || rows > 65535 || columns > 65535) {
                throw new IllegalArgumentException("image size out of range: " + columns + "x" + rows);
            }
            for (String uid : new String[] {studyInstanceUid, seriesInstanceUid, sopInstanceUid}) {
                if (uid == null || uid.length() > 64 || !uid.matches("[0-9]+(\\.[0-9]+)*")) {
                    throw new IllegalArgumentException("not a valid UID: '" + uid + "'");
                }
            }
        }
    }

    private DicomWriter() {
    }

    /** Writes {@code target} atomically; {@code jpeg} must be a baseline JPEG of the stated size. */
    public static void write(Path target, ChestRadiograph header, byte[] jpeg) throws IOException {
        AtomicFiles.writeBytes(target, toBytes(header, jpeg));
    }

    /** The whole Part 10 file. */
    public static byte[] toBytes(ChestRadiograph h, byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new IllegalArgumentException("pixel data for " + h.patientId() + " is not a JPEG stream (no SOI marker)");
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream(jpeg.length + 2048);
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(metaGroup(h));
        file.writeBytes(dataSet(h, jpeg));
        return file.toByteArray();
    }

    private static byte[] metaGroup(ChestRadiograph h) {
        Elements meta = new Elements();
        meta.bytes(0x0002, 0x0001, "OB", new byte[] {0, 1});
        meta.text(0x0002, 0x0002, "UI", SECONDARY_CAPTURE);
        meta.text(0x0002, 0x0003, "UI", h.sopInstanceUid());
        meta.text(0x0002, 0x0010, "UI", JPEG_BASELINE);
        meta.text(0x0002, 0x0012, "UI", IMPLEMENTATION_CLASS_UID);
        meta.text(0x0002, 0x0013, "SH", IMPLEMENTATION_VERSION);
        byte[] body = meta.toBytes();
        Elements group = new Elements();
        group.uint32(0x0002, 0x0000, body.length);
        group.raw(body);
        return group.toBytes();
    }

    /** The data set, elements in ascending tag order as Part 5 requires. */
    private static byte[] dataSet(ChestRadiograph h, byte[] jpeg) {
        String spacing = decimal(h.pixelSpacing());
        Elements ds = new Elements();
        ds.text(0x0008, 0x0005, "CS", "ISO_IR 100");
        ds.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE);
        ds.text(0x0008, 0x0018, "UI", h.sopInstanceUid());
        ds.text(0x0008, 0x0020, "DA", "19010101");
        ds.text(0x0008, 0x0030, "TM", "000000.00");
        ds.text(0x0008, 0x0050, "SH", "");
        ds.text(0x0008, 0x0060, "CS", "CR");
        ds.text(0x0008, 0x0064, "CS", "WSD");
        ds.text(0x0008, 0x0090, "PN", "");
        ds.text(0x0008, 0x1030, "LO", "Cxr");
        ds.text(0x0008, 0x103E, "LO", "view: " + h.viewPosition());
        ds.text(0x0010, 0x0010, "PN", h.patientName());
        ds.text(0x0010, 0x0020, "LO", h.patientId());
        ds.text(0x0010, 0x0030, "DA", "");
        ds.text(0x0010, 0x0040, "CS", h.patientSex());
        ds.text(0x0010, 0x1010, "AS", h.patientAge());
        ds.text(0x0018, 0x0015, "CS", "CHEST");
        ds.text(0x0018, 0x5101, "CS", h.viewPosition());
        ds.text(0x0020, 0x000D, "UI", h.studyInstanceUid());
        ds.text(0x0020, 0x000E, "UI", h.seriesInstanceUid());
        ds.text(0x0020, 0x0010, "SH", "");
        ds.text(0x0020, 0x0011, "IS", "1");
        ds.text(0x0020, 0x0013, "IS", "1");
        ds.text(0x0020, 0x0020, "CS", "");
        ds.uint16(0x0028, 0x0002, 1);
        ds.text(0x0028, 0x0004, "CS", "MONOCHROME2");
        ds.uint16(0x0028, 0x0010, h.rows());
        ds.uint16(0x0028, 0x0011, h.columns());
        ds.text(0x0028, 0x0030, "DS", spacing + "\\" + spacing);
        ds.uint16(0x0028, 0x0100, 8);
        ds.uint16(0x0028, 0x0101, 8);
        ds.uint16(0x0028, 0x0102, 7);
        ds.uint16(0x0028, 0x0103, 0);
        ds.text(0x0028, 0x2110, "CS", "01");
        ds.text(0x0028, 0x2114, "CS", "ISO_10918_1");
        ds.encapsulated(0x7FE0, 0x0010, jpeg);
        return ds.toBytes();
    }

    /** A DS value: at most 16 characters, no exponent. */
    private static String decimal(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.length() > 16 ? s.substring(0, 16) : s;
    }

    /** Explicit VR little endian element encoder. */
    private static final class Elements {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void text(int group, int element, String vr, String value) {
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            int padded = v.length + (v.length & 1);
            byte[] p = new byte[padded];
            System.arraycopy(v, 0, p, 0, v.length);
            if (padded > v.length) {
                // UIDs are padded with NUL, every other text VR with a space.
                p[padded - 1] = vr.equals("UI") ? 0 : (byte) ' ';
            }
            shortHeader(group, element, vr, padded);
            out.writeBytes(p);
        }

        void uint16(int group, int element, int value) {
            shortHeader(group, element, "US", 2);
            le16(value);
        }

        void uint32(int group, int element, long value) {
            shortHeader(group, element, "UL", 4);
            le32(value);
        }

        void bytes(int group, int element, String vr, byte[] value) {
            int padded = value.length + (value.length & 1);
            longHeader(group, element, vr, padded);
            out.writeBytes(value);
            if (padded > value.length) {
                out.write(0);
            }
        }

        /**
         * Encapsulated pixel data: undefined length, an empty basic offset table item, one
         * fragment holding the whole JPEG (padded to an even length), a sequence delimiter.
         */
        void encapsulated(int group, int element, byte[] frame) {
            longHeader(group, element, "OB", 0xFFFFFFFFL);
            tag(0xFFFE, 0xE000);
            le32(0);
            int padded = frame.length + (frame.length & 1);
            tag(0xFFFE, 0xE000);
            le32(padded);
            out.writeBytes(frame);
            if (padded > frame.length) {
                out.write(0);
            }
            tag(0xFFFE, 0xE0DD);
            le32(0);
        }

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void shortHeader(int group, int element, String vr, int length) {
            if (length > 0xFFFF) {
                throw new IllegalArgumentException(String.format("(%04X,%04X) value too long for %s", group, element, vr));
            }
            tag(group, element);
            out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            le16(length);
        }

        private void longHeader(int group, int element, String vr, long length) {
            tag(group, element);
            out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            le16(0);
            le32(length);
        }

        private void tag(int group, int element) {
            le16(group);
            le16(element);
        }

        private void le16(int v) {
            out.write(v & 0xff);
            out.write((v >>> 8) & 0xff);
        }

        private void le32(long v) {
            le16((int) (v & 0xffff));
            le16((int) ((v >>> 16) & 0xffff));
        }
    }
}
