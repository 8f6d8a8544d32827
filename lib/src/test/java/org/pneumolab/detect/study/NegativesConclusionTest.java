package org.pneumolab.detect.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pneumolab.metrics.Verdict.Outcome.A_BETTER;
import static org.pneumolab.metrics.Verdict.Outcome.B_BETTER;
import static org.pneumolab.metrics.Verdict.Outcome.NOT_DISTINGUISHABLE;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pneumolab.lessons.LessonsReport;
import org.pneumolab.metrics.Verdict;

/**
 * Lesson (b)'s conclusion (A: Faster R-CNN without negatives, against each other model, on false
 * positives per negative image, lower is better): the lesson shows where B is better, and A better
 * is the reverse of the case study's, never "not distinguishable". LessonsReport's summary lines
 * keep every conclusion, the reversed ones included.
 */
class NegativesConclusionTest {

    private static String c(Verdict.Outcome... o) {
        String s = StudyResult.negativesConclusion(List.of(o));
        assertTrue(s.startsWith("Lesson (b) "), s);
        return s;
    }

    @Test
    void eachOutcomeReadsAsWhatHappened() {
        assertTrue(c(B_BETTER, B_BETTER).startsWith("Lesson (b) shows beyond its interval") && c(B_BETTER, B_BETTER).contains("both other"));
        assertTrue(c(B_BETTER).contains("than the other model"));
        assertTrue(c(A_BETTER, A_BETTER).startsWith("Lesson (b) is reversed here"));
        assertTrue(c(A_BETTER).startsWith("Lesson (b) is reversed here"));
        assertTrue(c(NOT_DISTINGUISHABLE, NOT_DISTINGUISHABLE).startsWith("Lesson (b) is not distinguishable"));
        assertTrue(c(B_BETTER, NOT_DISTINGUISHABLE).startsWith("Lesson (b) shows against 1 of 2"));
        assertTrue(c(NOT_DISTINGUISHABLE, A_BETTER).startsWith("Lesson (b) is reversed against 1 of 2"));
        assertTrue(c(A_BETTER, B_BETTER).startsWith("Lesson (b) is mixed"));
    }

    @Test
    void theReportsSummaryKeepsEveryConclusion() {
        for (List<Verdict.Outcome> o : List.of(List.of(A_BETTER, A_BETTER), List.of(B_BETTER, B_BETTER),
                List.of(NOT_DISTINGUISHABLE, NOT_DISTINGUISHABLE), List.of(A_BETTER, B_BETTER))) {
            String conclusion = StudyResult.negativesConclusion(o);
            String md = "### Detection\n\n| a | b |\n\n(b) Faster R-CNN (no negatives) and Faster R-CNN are ...\n    "
                    + conclusion + "\n\n### Post-processing\n";
            List<String> lines = LessonsReport.lessonLines(md);
            assertEquals(2, lines.size(), lines.toString());
            assertEquals("    " + conclusion, lines.get(1));
        }
    }
}
