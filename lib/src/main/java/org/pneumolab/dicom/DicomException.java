package org.pneumolab.dicom;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not readable DICOM, or whose pixel data we cannot decode. The message always
 * starts with the file's path and then names the problem, so a line in a scan log says which
 * file to look at and why.
 */
public class DicomException extends IOException {
    private final Path file;

    public DicomException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DicomException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }

    /** The problem without the leading file name. */
    public String problem() {
        String m = getMessage();
        String prefix = file + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
