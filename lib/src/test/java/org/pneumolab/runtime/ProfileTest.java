package org.pneumolab.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProfileTest {
    @Test
    void parsesNamesAndPicksValues() {
        assertEquals(Profile.SAMPLE, Profile.parse(null));
        assertEquals(Profile.SAMPLE, Profile.parse(" "));
        assertEquals(Profile.PAPER, Profile.parse("Paper"));
        assertEquals(150, Profile.PAPER.pick(96, 150));
        assertEquals(96, Profile.SAMPLE.pick(96, 150));
        assertEquals("sample", Profile.SAMPLE.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.parse("huge"));
        assertEquals("PNEUMO_PROFILE must be 'sample' or 'paper', got 'huge'", e.getMessage());
    }
}
