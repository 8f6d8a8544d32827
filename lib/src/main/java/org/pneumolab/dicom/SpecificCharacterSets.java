package org.pneumolab.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Maps Specific Character Set (0008,0005) defined terms to Java charsets. */
final class SpecificCharacterSets {
    private static final Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("ISO_IR 6", "US-ASCII"),
            Map.entry("ISO 2022 IR 6", "US-ASCII"),
            Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO 2022 IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO 2022 IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO 2022 IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO 2022 IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO 2022 IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO 2022 IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO 2022 IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO 2022 IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO 2022 IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"),
            Map.entry("ISO 2022 IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 13", "Shift_JIS"),
            Map.entry("ISO 2022 IR 13", "Shift_JIS"),
            Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("ISO 2022 IR 166", "TIS-620"),
            Map.entry("ISO 2022 IR 87", "ISO-2022-JP"),
            Map.entry("ISO 2022 IR 159", "ISO-2022-JP-2"),
            Map.entry("ISO 2022 IR 149", "EUC-KR"),
            Map.entry("ISO 2022 IR 58", "GB2312"),
            Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"),
            Map.entry("GBK", "GBK"));

    private SpecificCharacterSets() {
    }

    /**
     * The charset for a (possibly multi-valued) Specific Character Set. With code extensions
     * the first value names the default repertoire; the escape sequences of ISO 2022 are left
     * to Java's ISO-2022 decoders where one exists. Unknown terms fall back to ASCII's superset
     * ISO-8859-1 rather than failing, so a strange header never hides the pixels.
     */
    static Charset forTerms(String value) {
        if (value == null || value.isBlank()) {
            return StandardCharsets.US_ASCII;
        }
        String[] terms = value.split("\\\\", -1);
        String first = terms[0].trim();
        if (first.isEmpty() && terms.length > 1) {
            first = terms[1].trim();
        }
        String javaName = JAVA_NAMES.get(first);
        if (javaName == null) {
            return first.isEmpty() ? StandardCharsets.US_ASCII : StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(javaName);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
