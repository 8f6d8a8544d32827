package org.pneumolab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** One image-id rule for RSNA films, Kermany JPEGs and predict's inputs: a known image suffix, any case, is dropped. */
class ImageIdsTest {
    @Test
    void rsnaFilmsAreTheirPatientId() {
        assertEquals("0004cfab-14fd-4e49-80ba-63a80b6bddd6", ImageIds.of(Path.of("x/0004cfab-14fd-4e49-80ba-63a80b6bddd6.dcm")));
        assertEquals("0004cfab", ImageIds.of("0004cfab.DCM"), "case of the suffix does not matter");
        assertEquals("scan.v2", ImageIds.of("scan.v2.dcm"), "only the suffix goes, not every dotted part");
    }

    @Test
    void kermanyImagesKeepTheStemThePatientIsParsedFrom() {
        assertEquals("person1_bacteria_1", ImageIds.of("person1_bacteria_1.jpeg"));
        assertEquals("IM-0001-0001", ImageIds.of("IM-0001-0001.JPG"));
        assertEquals("person1", KermanyName.parse("person1_bacteria_1.jpeg").patient());
        assertEquals("IM-0001", KermanyName.parse("IM-0001-0001.jpeg").patient());
    }

    @Test
    void predictInputsOfEveryDecodedKindAndNothingElse() {
        assertEquals("chest", ImageIds.of("chest.png"));
        assertEquals("chest", ImageIds.of("chest.JPEG"));
        assertEquals("notes.txt", ImageIds.of("notes.txt"), "a name without an image suffix is its own id");
        assertEquals(".dcm", ImageIds.of(".dcm"), "a bare suffix has no stem to be the id");
        assertEquals("noext", ImageIds.of("noext"));
        assertTrue(ImageIds.isImage("a.Png"));
        assertFalse(ImageIds.isImage("a.tif"));
        assertFalse(ImageIds.isImage(".png"));
    }
}
