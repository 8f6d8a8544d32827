package org.pneumolab.classify.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The errors chart's ratio axis: log2 positions labelled as the ratios a reader thinks in. */
class ClassWeightStudyTest {
    @Test
    void ticksReadAsRatios() {
        assertEquals("1/4", ClassWeightStudy.ratioLabel(-2));
        assertEquals("1/2", ClassWeightStudy.ratioLabel(-1));
        assertEquals("1", ClassWeightStudy.ratioLabel(0));
        assertEquals("4", ClassWeightStudy.ratioLabel(2));
        assertEquals("2.8", ClassWeightStudy.ratioLabel(1.5));
        assertEquals("0.71", ClassWeightStudy.ratioLabel(-0.5));
    }
}
