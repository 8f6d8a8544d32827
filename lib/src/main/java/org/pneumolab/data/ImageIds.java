package org.pneumolab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An image's id from its file name, decided once for every reader: RSNA's films
 * ({@code <patientId>.dcm}, Kaggle's id), Kermany's JPEGs (whose stem names the patient), and
 * whatever {@code pneumo predict} is given. The last suffix is dropped when it is one of the image
 * suffixes the lab decodes, in any case ({@code .dcm}, {@code .DCM}, {@code .jpeg}, ...); any other
 * name is its own id, so {@code scan.v2.dcm} is {@code scan.v2} and {@code notes.txt} stays
 * {@code notes.txt} (the id never silently loses a part that is not a file type).
 */
public final class ImageIds {
    /** The file suffixes the lab's decoders read (DICOM, JPEG, PNG), lower case. */
    public static final List<String> SUFFIXES = List.of(".dcm", ".jpg", ".jpeg", ".png");

    private ImageIds() {
    }

    public static String of(Path file) {
        return of(file.getFileName().toString());
    }

    public static String of(String fileName) {
        String suffix = suffix(fileName);
        return suffix == null ? fileName : fileName.substring(0, fileName.length() - suffix.length());
    }

    /** Whether the name ends in one of {@link #SUFFIXES}, in any case, after a non-empty stem. */
    public static boolean isImage(String fileName) {
        return suffix(fileName) != null;
    }

    private static String suffix(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String s : SUFFIXES) {
            if (lower.endsWith(s) && lower.length() > s.length()) {
                return s;
            }
        }
        return null;
    }
}
