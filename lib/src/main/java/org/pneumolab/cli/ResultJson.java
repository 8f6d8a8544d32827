package org.pneumolab.cli;

import java.util.List;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.io.JsonNumbers;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.ClassFalsePositives;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Verdict;

/**
 * Results as JSON for scripts (Gson, which DL4J brings): every number at full precision (the
 * shortest decimal that reads back to the same double); an undefined one is {@code null} with the
 * reason beside it ({@link JsonNumbers}), so the output is strict JSON.
 */
final class ResultJson {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create();

    private ResultJson() {
    }

    static String print(JsonElement e) {
        return GSON.toJson(JsonNumbers.requireFinite(e));
    }

    /**
     * The metric's fields with their 95% intervals ({@link #intervals}: images resampled), so no
     * number in the JSON goes without one.
     */
    static JsonObject rsna(RsnaResult r, DetectionEstimates intervals) {
        JsonObject o = new JsonObject();
        o.addProperty("split", r.split());
        JsonNumbers.put(o, "metric", r.score(), "no labelled image was scored");
        JsonNumbers.put(o, "ap50", r.ap50(), "the labels have no box");
        o.add("intervals", intervals(intervals));
        o.addProperty("imagesScored", r.imagesScored());
        o.addProperty("imagesLeftOut", r.imagesLeftOut());
        o.addProperty("unlabelledImages", r.unlabelledImages());
        JsonObject fp = new JsonObject();
        for (ClassFalsePositives c : r.falsePositives().values()) {
            JsonObject e = new JsonObject();
            JsonNumbers.put(e, "perImage", c.perImage(), "no image of this class");
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
            String why = undefined(name);
            JsonNumbers.put(m, "value", est.value(), why);
            JsonNumbers.put(m, "lo", est.lo(), Double.isFinite(est.value()) ? "undefined in the bootstrap resamples" : why);
            JsonNumbers.put(m, "hi", est.hi(), Double.isFinite(est.value()) ? "undefined in the bootstrap resamples" : why);
            o.add(name, m);
        });
        o.addProperty("split", e.split());
        o.addProperty("images", e.images());
        o.addProperty("negativeImages", e.negatives());
        o.addProperty("method", e.method());
        return o;
    }

    /** Why a detection metric is undefined, by its name ({@link DetectionBootstrap}'s). */
    static String undefined(String metric) {
        return switch (metric) {
            case DetectionBootstrap.FP_PER_NEGATIVE -> "the labels have no image without a box";
            case DetectionBootstrap.AP50 -> "the labels have no box";
            default -> "no labelled image was scored";
        };
    }

    /** A paired comparison: A minus B with its interval (full precision), the outcome and the sentence. */
    static JsonObject verdict(Verdict v) {
        JsonObject o = new JsonObject();
        o.addProperty("a", v.a());
        o.addProperty("b", v.b());
        o.addProperty("metric", v.metric());
        String why = "the metric is undefined for a model on these images";
        JsonNumbers.put(o, "difference", v.difference().value(), why);
        JsonNumbers.put(o, "lo", v.difference().lo(), why);
        JsonNumbers.put(o, "hi", v.difference().hi(), why);
        o.addProperty("split", v.split());
        o.addProperty("images", v.n());
        o.addProperty("method", v.method());
        o.addProperty("outcome", v.outcome().name());
        o.addProperty("sentence", v.sentence());
        return o;
    }

    /** Paired comparisons in their order, each as {@link #verdict} writes it. */
    static JsonArray verdicts(List<Verdict> verdicts) {
        JsonArray a = new JsonArray();
        for (Verdict v : verdicts) {
            a.add(verdict(v));
        }
        return a;
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
