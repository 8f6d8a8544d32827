package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class SubmissionPreviewTest {
    @Test
    void previewRoundsForPeople() {
        Map<String, List<Detection>> p = new LinkedHashMap<>();
        p.put("a", List.of(new Detection(new Box(234.91345642, 480.7378765, 438.9136837, 680.6442116), 0.6002676588811374),
                new Detection(new Box(0, 0, 10, 10), 0.1)));
        p.put("b", List.of());
        p.put("c", List.of());
        var t = Submission.of(p).preview(2);
        assertEquals(2, t.rowCount());
        assertEquals("0.600, 234.9, 480.7, 204.0 x 199.9", t.stringColumn(2).get(0));
        assertEquals("", t.stringColumn(2).get(1));
        assertEquals(2, t.intColumn("boxes").get(0));
    }
}
