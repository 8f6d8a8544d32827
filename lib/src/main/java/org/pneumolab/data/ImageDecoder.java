package org.pneumolab.data;

import org.pneumolab.image.GrayImage;

import java.io.IOException;
import java.nio.file.Path;

/** Reads an image file into grey pixels; failures are IOExceptions whose message names the file and the problem. */
@FunctionalInterface
public interface ImageDecoder {
    GrayImage decode(Path file) throws IOException;

    /**
     * Decodes to at least {@code minWidth x minHeight} when the format allows a cheaper reduced
     * decode (JPEG DCT scaling), reporting the full image size; by default a full decode.
     */
    default ReducedDicom.Decoded decodeAtLeast(Path file, int minWidth, int minHeight) throws IOException {
        GrayImage g = decode(file);
        return new ReducedDicom.Decoded(g, g.width(), g.height(), 1);
    }

    /**
     * Appended to {@code file}'s tensor-cache key when this decoder's pixels for it differ (slightly)
     * from the plain full decode's, so the two are never mixed in one cache.
     */
    default String cacheTag(Path file) {
        return "";
    }
}
