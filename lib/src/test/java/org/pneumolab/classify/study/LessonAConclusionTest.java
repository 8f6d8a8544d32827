package org.pneumolab.classify.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pneumolab.metrics.Verdict.Outcome.A_BETTER;
import static org.pneumolab.metrics.Verdict.Outcome.B_BETTER;
import static org.pneumolab.metrics.Verdict.Outcome.NOT_DISTINGUISHABLE;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pneumolab.metrics.Verdict;

/**
 * Lesson (a)'s conclusion for every pair of outcomes (A: the highest NORMAL weighting, against the
 * lowest; lower FN and FP are better). The case study's trade-off is FN worse (B better) and FP
 * better (A better); anything moved the other way must read as reversed.
 */
class LessonAConclusionTest {

    private static String c(Verdict.Outcome fn, Verdict.Outcome fp) {
        String s = ClassWeightStudy.lessonAConclusion(fn, fp);
        assertTrue(s.startsWith("Lesson (a) "), s);
        return s;
    }

    @Test
    void eachOutcomeReadsAsWhatHappened() {
        assertTrue(c(B_BETTER, A_BETTER).startsWith("Lesson (a) shows beyond its intervals"));
        assertTrue(c(A_BETTER, B_BETTER).startsWith("Lesson (a) is reversed here"));
        assertTrue(c(B_BETTER, NOT_DISTINGUISHABLE).startsWith("Lesson (a) shows only in part: false negatives rise"));
        assertTrue(c(NOT_DISTINGUISHABLE, A_BETTER).startsWith("Lesson (a) shows only in part: false positives fall"));
        assertTrue(c(A_BETTER, NOT_DISTINGUISHABLE).startsWith("Lesson (a) is reversed in part: false negatives fall"));
        assertTrue(c(NOT_DISTINGUISHABLE, B_BETTER).startsWith("Lesson (a) is reversed in part: false positives rise"));
        assertTrue(c(B_BETTER, B_BETTER).contains("more FN and more FP"));
        assertTrue(c(A_BETTER, A_BETTER).contains("fewer FN and fewer FP"));
        assertTrue(c(NOT_DISTINGUISHABLE, NOT_DISTINGUISHABLE).startsWith("Lesson (a) is not distinguishable"));
        // Nine outcome pairs, nine different conclusions: no branch swallows another.
        Set<String> all = new HashSet<>();
        for (Verdict.Outcome fn : Verdict.Outcome.values()) {
            for (Verdict.Outcome fp : Verdict.Outcome.values()) {
                all.add(c(fn, fp));
            }
        }
        assertEquals(9, all.size());
    }
}
