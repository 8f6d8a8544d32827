package org.pneumolab.data;

import org.pneumolab.image.GrayImage;

import java.io.IOException;
import java.nio.file.Path;

/** Reads an image file into grey pixels; failures are IOExceptions whose message names the file and the problem. */
@FunctionalInterface
public interface ImageDecoder {
    GrayImage decode(Path file) throws IOException;
}
