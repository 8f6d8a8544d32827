package org.pneumolab.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.metrics.ClassFalsePositives;
import org.pneumolab.metrics.RsnaResult;

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
     * The metric's fields. {@code intervals} is where 95% intervals go (bootstrap over patients,
     * issue "every metric carries a 95% interval"); it is an empty object until they are computed.
     */
    static JsonObject rsna(RsnaResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("split", r.split());
        o.addProperty("metric", r.score());
        o.addProperty("ap50", r.ap50());
        o.add("intervals", new JsonObject());
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

    static JsonObject postProcess(PostProcess p) {
        JsonObject o = new JsonObject();
        o.addProperty("scoreThreshold", p.scoreThreshold());
        o.addProperty("nmsIou", p.nmsIou());
        o.addProperty("maxDetections", p.maxDetections());
        o.addProperty("shrink", p.shrink());
        return o;
    }
}
