package org.pneumolab.io;

import java.io.IOException;
import java.io.StringReader;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.internal.bind.TypeAdapters;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * Numbers in the JSON the lab writes: strict JSON has no NaN or infinity (JavaScript's
 * {@code JSON.parse} rejects them), so an undefined value is written {@code null} with the reason
 * beside it, under the same name plus {@code "Undefined"}: {@code "perImage": null,
 * "perImageUndefined": "no image of this class"}. Writers pass their tree through
 * {@link #requireFinite} (Gson itself prints a NaN inside a tree as the literal {@code NaN}), so a
 * NaN that escaped fails loudly instead of printing a literal no strict parser accepts.
 */
public final class JsonNumbers {
    /** The suffix of the field that says why its namesake is null. */
    public static final String UNDEFINED = "Undefined";

    private JsonNumbers() {
    }

    /** {@code value} under {@code key}, or null and {@code reason} under {@code key + "Undefined"} when it is NaN or infinite. */
    public static void put(JsonObject o, String key, double value, String reason) {
        if (Double.isFinite(value)) {
            o.addProperty(key, value);
        } else {
            o.add(key, JsonNull.INSTANCE);
            o.addProperty(key + UNDEFINED, Double.isNaN(value) ? reason : reason + " (" + value + ")");
        }
    }

    /**
     * Returns {@code e} after checking it holds no NaN or infinite number.
     *
     * @throws IllegalArgumentException naming the first such field's path
     */
    public static JsonElement requireFinite(JsonElement e) {
        check(e, "$");
        return e;
    }

    private static void check(JsonElement e, String path) {
        if (e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(en -> check(en.getValue(), path + "." + en.getKey()));
        } else if (e.isJsonArray()) {
            for (int i = 0; i < e.getAsJsonArray().size(); i++) {
                check(e.getAsJsonArray().get(i), path + "[" + i + "]");
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()
                && !Double.isFinite(e.getAsJsonPrimitive().getAsDouble())) {
            throw new IllegalArgumentException(path + " is " + e + ": write it with JsonNumbers.put (null and the reason)");
        }
    }

    /**
     * Parses {@code json} as strict JSON (no NaN, no infinities, no comments, no unquoted strings,
     * nothing after the value), as JavaScript's {@code JSON.parse} would.
     *
     * @throws IOException naming what is not strict JSON
     */
    public static JsonElement parseStrict(String json) throws IOException {
        JsonReader r = new JsonReader(new StringReader(json));
        r.setLenient(false);
        JsonElement e = TypeAdapters.JSON_ELEMENT.read(r);
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("text after the JSON value");
        }
        return e;
    }
}
