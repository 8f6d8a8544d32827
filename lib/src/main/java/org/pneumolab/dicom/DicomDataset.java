package org.pneumolab.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A data set: elements by tag, with typed accessors that decode values on demand. Accessors
 * take a tag ({@code group << 16 | element}) or a keyword from {@link DicomDictionary}.
 * Values that are absent, empty or not parseable read as empty, so a sloppy optional attribute
 * never hides the rest of a file; code that needs an attribute decides what missing means.
 */
public final class DicomDataset {
    private static final Set<String> TEXT_VRS = Set.of("SH", "LO", "ST", "LT", "UT", "PN", "UC");

    private final Map<Integer, DicomElement> elements = new LinkedHashMap<>();
    private final DicomDataset parent;

    DicomDataset(DicomDataset parent) {
        this.parent = parent;
    }

    void put(DicomElement e) {
        elements.put(e.tag(), e);
    }

    /** All elements in file order. */
    public Map<Integer, DicomElement> elements() {
        return Collections.unmodifiableMap(elements);
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public boolean contains(String keyword) {
        return contains(DicomDictionary.tag(keyword));
    }

    public Optional<DicomElement> element(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    /** The value as text with DICOM's padding removed, all values joined by '\'. */
    public Optional<String> string(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.isSequence() || e.isEncapsulated()) {
            return Optional.empty();
        }
        String s = switch (e.vr()) {
            case "US" -> e.length() >= 2 ? String.valueOf(e.u16(0)) : "";
            case "SS" -> e.length() >= 2 ? String.valueOf((short) e.u16(0)) : "";
            case "UL" -> e.length() >= 4 ? String.valueOf(e.u32(0)) : "";
            case "SL" -> e.length() >= 4 ? String.valueOf((int) e.u32(0)) : "";
            default -> decodeText(e);
        };
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public Optional<String> string(String keyword) {
        return string(DicomDictionary.tag(keyword));
    }

    /** The values of a multi-valued attribute, split on '\'. Empty array when absent. */
    public String[] strings(int tag) {
        return string(tag).map(s -> s.split("\\\\", -1)).orElse(new String[0]);
    }

    public String[] strings(String keyword) {
        return strings(DicomDictionary.tag(keyword));
    }

    /** The first value as a number (binary VRs, or DS/IS text). */
    public OptionalDouble number(int tag) {
        double[] all = numbers(tag);
        return all.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(all[0]);
    }

    public OptionalDouble number(String keyword) {
        return number(DicomDictionary.tag(keyword));
    }

    /** The first value as an int, if it is a whole number in int range. */
    public OptionalInt integer(int tag) {
        OptionalDouble d = number(tag);
        if (d.isEmpty() || d.getAsDouble() != Math.rint(d.getAsDouble())
                || Math.abs(d.getAsDouble()) > Integer.MAX_VALUE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) d.getAsDouble());
    }

    public OptionalInt integer(String keyword) {
        return integer(DicomDictionary.tag(keyword));
    }

    /** Every value as a number; values that do not parse are left out. */
    public double[] numbers(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.isSequence() || e.isEncapsulated()) {
            return new double[0];
        }
        return switch (e.vr()) {
            case "US" -> binary(e, 2, i -> e.u16(i));
            case "SS" -> binary(e, 2, i -> (short) e.u16(i));
            case "UL" -> binary(e, 4, i -> e.u32(i));
            case "SL" -> binary(e, 4, i -> (int) e.u32(i));
            case "FL" -> binary(e, 4, i -> Float.intBitsToFloat((int) e.u32(i)));
            case "FD" -> binary(e, 8, i -> Double.longBitsToDouble(e.u64(i)));
            default -> parseDecimals(decodeText(e));
        };
    }

    public double[] numbers(String keyword) {
        return numbers(DicomDictionary.tag(keyword));
    }

    /** The charset text values of this data set are in (inherited from the enclosing one). */
    public Charset charset() {
        DicomElement cs = elements.get(0x00080005);
        if (cs != null) {
            return SpecificCharacterSets.forTerms(new String(cs.buffer(), cs.offset(), cs.length(),
                    StandardCharsets.US_ASCII));
        }
        return parent == null ? StandardCharsets.US_ASCII : parent.charset();
    }

    private String decodeText(DicomElement e) {
        Charset cs = TEXT_VRS.contains(e.vr()) ? charset() : StandardCharsets.US_ASCII;
        String s = new String(e.buffer(), e.offset(), e.length(), cs);
        // DICOM pads to even length with a space (or NUL for UI); leading spaces are insignificant too.
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (!e.vr().equals("ST") && !e.vr().equals("LT") && !e.vr().equals("UT")) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    private interface IndexedValue {
        double get(int index);
    }

    private static double[] binary(DicomElement e, int size, IndexedValue v) {
        double[] out = new double[e.length() / size];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static double[] parseDecimals(String text) {
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] parts = text.split("\\\\", -1);
        double[] out = new double[parts.length];
        int n = 0;
        for (String p : parts) {
            try {
                double d = Double.parseDouble(p.trim());
                if (Double.isFinite(d)) {
                    out[n++] = d;
                }
            } catch (NumberFormatException ignored) {
                // A value that is not a number counts as absent (see the class comment).
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
