package org.pneumolab.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.metrics.ClassFalsePositives;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Verdict;

/**
 * Results as JSON for scripts (Gson, which DL4J brings): every number at full precision (the
 * shortest decimal that reads back to the same double), NaN and infinities as the literals
 * {@code NaN}/{@code Infinity} rather than a silently different value.
 */
final class ResultJson {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .setPrettyPrinting().create();

    private ResultJson() {
    }

    static String print(JsonElement e) {
        return GSON.toJson(e);
    }

    /**
     * The metric's fields with their 95% intervals ({@link #intervals}: images resampled), so no
     * number in the JSON goes without one.
     */
    static JsonObject rsna(RsnaResult r, DetectionEstimates intervals) {
        JsonObject o = new JsonObject();
        o.addProperty("split", r.split());
        o.addProperty("metric", r.score());
        o.addProperty("ap50", r.ap50());
        o.add("intervals", intervals(intervals));
        o.addProperty("imagesScored", r.imagesScored());
        o.addProperty("imagesLeftOut", r.imagesLeftOut());
        o.addProperty("unlabelledImages", r.unlabelledImages());
        JsonObject fp = new JsonObject();
        for (ClassFalsePositives c : r.falsePositives().values()) {
            JsonObject e = new JsonObject();
            e.addProperty("perImage", c.perImage());
            e.addProperty("falsePositives", c.falsePositives());
            e.addProperty("images", c.images());
            fp.add(c.detailedClass(), e);
        }
        o.add("falsePositivesPerImage", fp);
        return o;
    }

    /**
     * The intervals of {@link DetectionEstimates}: per metric its value, lo and hi (full
     * precision), plus the split, n and how the intervals were made.
     */
    static JsonObject intervals(DetectionEstimates e) {
        JsonObject o = new JsonObject();
        e.metrics().forEach((name, est) -> {
            JsonObject m = new JsonObject();
            m.addProperty("value", est.value());
            m.addProperty("lo", est.lo());
            m.addProperty("hi", est.hi());
            o.add(name, m);
        });
        o.addProperty("split", e.split());
        o.addProperty("images", e.images());
        o.addProperty("negativeImages", e.negatives());
        o.addProperty("method", e.method());
        return o;
    }

    /** A paired comparison: A minus B with its interval (full precision), the outcome and the sentence. */
    static JsonObject verdict(Verdict v) {
        JsonObject o = new JsonObject();
        o.addProperty("a", v.a());
        o.addProperty("b", v.b());
        o.addProperty("metric", v.metric());
        o.addProperty("difference", v.difference().value());
        o.addProperty("lo", v.difference().lo());
        o.addProperty("hi", v.difference().hi());
        o.addProperty("split", v.split());
        o.addProperty("images", v.n());
        o.addProperty("method", v.method());
        o.addProperty("outcome", v.outcome().name());
        o.addProperty("sentence", v.sentence());
        return o;
    }

    static JsonObject postProcess(PostProcess p) {
        JsonObject o = new JsonObject();
        o.addProperty("scoreThreshold", p.scoreThreshold());
        o.addProperty("nmsIou", p.nmsIou());
        o.addProperty("maxDetections", p.maxDetections());
        o.addProperty("shrink", p.shrink());
        return o;
    }
}
