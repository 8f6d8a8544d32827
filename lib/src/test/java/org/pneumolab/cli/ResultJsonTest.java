package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import org.pneumolab.metrics.Estimate;
import org.pneumolab.metrics.Verdict;

/**
 * {@link ResultJson#verdicts}, which both sweeps' {@code heldOutVerdicts} go through: every verdict
 * in its order as {@link ResultJson#verdict} writes it, an undefined interval as null with its
 * reason, so the printed JSON stays strict.
 */
class ResultJsonTest {
    @Test
    void verdictsKeepTheirOrderAndEachIsWrittenAsOne() {
        String method = "95% paired bootstrap over images, B=10";
        Verdict better = new Verdict("chosen", "case study", "RSNA metric", true, new Estimate(0.05, 0.01, 0.09), "held-out",
                40, method);
        Verdict undefined = new Verdict("chosen", "A alone", "RSNA metric", true, new Estimate(Double.NaN, Double.NaN, Double.NaN),
                "held-out", 40, method);
        JsonArray a = ResultJson.verdicts(List.of(better, undefined));
        assertEquals(2, a.size());
        assertEquals(ResultJson.verdict(better), a.get(0));
        assertEquals(ResultJson.verdict(undefined), a.get(1));
        JsonObject first = a.get(0).getAsJsonObject();
        assertEquals("case study", first.get("b").getAsString());
        assertEquals("A_BETTER", first.get("outcome").getAsString());
        assertEquals(0.01, first.get("lo").getAsDouble());
        JsonObject second = a.get(1).getAsJsonObject();
        assertTrue(second.get("difference").isJsonNull(), second.toString());
        assertEquals("NOT_DISTINGUISHABLE", second.get("outcome").getAsString());
        // strict JSON: print refuses a non-finite number, so this passing means none slipped through
        assertTrue(ResultJson.print(a).contains("\"A alone\""));
        assertEquals(0, ResultJson.verdicts(List.of()).size());
    }
}
