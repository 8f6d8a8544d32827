package org.pneumolab.dicom;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The attributes this project needs, by keyword, with their VR. The VR matters for implicit VR
 * files, where the file does not say how to decode a value; tags not listed here are kept as
 * raw bytes ("UN") and skipped safely.
 */
public final class DicomDictionary {
    /** One dictionary entry. */
    public record Entry(int tag, String vr, String keyword) {
    }

    private static final Map<String, Entry> BY_KEYWORD = new HashMap<>();
    private static final Map<Integer, Entry> BY_TAG = new HashMap<>();

    static {
        add(0x00020000, "UL", "FileMetaInformationGroupLength");
        add(0x00020001, "OB", "FileMetaInformationVersion");
        add(0x00020002, "UI", "MediaStorageSOPClassUID");
        add(0x00020003, "UI", "MediaStorageSOPInstanceUID");
        add(0x00020010, "UI", "TransferSyntaxUID");
        add(0x00020012, "UI", "ImplementationClassUID");
        add(0x00020013, "SH", "ImplementationVersionName");
        add(0x00080005, "CS", "SpecificCharacterSet");
        add(0x00080008, "CS", "ImageType");
        add(0x00080016, "UI", "SOPClassUID");
        add(0x00080018, "UI", "SOPInstanceUID");
        add(0x00080020, "DA", "StudyDate");
        add(0x00080030, "TM", "StudyTime");
        add(0x00080050, "SH", "AccessionNumber");
        add(0x00080060, "CS", "Modality");
        add(0x00080064, "CS", "ConversionType");
        add(0x00080070, "LO", "Manufacturer");
        add(0x00081030, "LO", "StudyDescription");
        add(0x0008103E, "LO", "SeriesDescription");
        add(0x00100010, "PN", "PatientName");
        add(0x00100020, "LO", "PatientID");
        add(0x00100030, "DA", "PatientBirthDate");
        add(0x00100040, "CS", "PatientSex");
        add(0x00101010, "AS", "PatientAge");
        add(0x00180015, "CS", "BodyPartExamined");
        add(0x00185101, "CS", "ViewPosition");
        add(0x0020000D, "UI", "StudyInstanceUID");
        add(0x0020000E, "UI", "SeriesInstanceUID");
        add(0x00200010, "SH", "StudyID");
        add(0x00200011, "IS", "SeriesNumber");
        add(0x00200013, "IS", "InstanceNumber");
        add(0x00200020, "CS", "PatientOrientation");
        add(0x00280002, "US", "SamplesPerPixel");
        add(0x00280004, "CS", "PhotometricInterpretation");
        add(0x00280006, "US", "PlanarConfiguration");
        add(0x00280008, "IS", "NumberOfFrames");
        add(0x00280010, "US", "Rows");
        add(0x00280011, "US", "Columns");
        add(0x00280030, "DS", "PixelSpacing");
        add(0x00280100, "US", "BitsAllocated");
        add(0x00280101, "US", "BitsStored");
        add(0x00280102, "US", "HighBit");
        add(0x00280103, "US", "PixelRepresentation");
        add(0x00281050, "DS", "WindowCenter");
        add(0x00281051, "DS", "WindowWidth");
        add(0x00281052, "DS", "RescaleIntercept");
        add(0x00281053, "DS", "RescaleSlope");
        add(0x00281054, "LO", "RescaleType");
        add(0x00282110, "CS", "LossyImageCompression");
        add(0x7FE00010, "OW", "PixelData");
    }

    private DicomDictionary() {
    }

    private static void add(int tag, String vr, String keyword) {
        Entry e = new Entry(tag, vr, keyword);
        BY_KEYWORD.put(keyword, e);
        BY_TAG.put(tag, e);
    }

    /** The tag of a keyword, e.g. {@code tag("Rows") == 0x00280010}. */
    public static int tag(String keyword) {
        Entry e = BY_KEYWORD.get(keyword);
        if (e == null) {
            throw new IllegalArgumentException("keyword not in the dictionary: " + keyword
                    + " (use the tag, group << 16 | element)");
        }
        return e.tag();
    }

    /** The dictionary VR of a tag, or "UN" when it is not listed. */
    public static String vr(int tag) {
        Entry e = BY_TAG.get(tag);
        return e == null ? "UN" : e.vr();
    }

    /** The keyword of a tag, or null when it is not listed. */
    public static String keyword(int tag) {
        Entry e = BY_TAG.get(tag);
        return e == null ? null : e.keyword();
    }

    /** "(gggg,eeee)", the usual way to write a tag. */
    public static String format(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
