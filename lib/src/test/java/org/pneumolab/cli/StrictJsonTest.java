package org.pneumolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.io.JsonNumbers;
import org.pneumolab.metrics.DetectionBootstrap;

/**
 * The JSON the lab prints is strict JSON, as JavaScript's {@code JSON.parse} reads it: an
 * undefined number (false positives per negative image with no negative image in the labels) is
 * {@code null} with its reason beside it, never the literal {@code NaN}.
 */
class StrictJsonTest {
    @Test
    void theStrictParserRejectsWhatJsonParseRejects() {
        assertThrows(IOException.class, () -> JsonNumbers.parseStrict("{\"a\":NaN}"));
        assertThrows(IOException.class, () -> JsonNumbers.parseStrict("{\"a\":Infinity}"));
        assertThrows(IOException.class, () -> JsonNumbers.parseStrict("{a:1}"));
        assertThrows(IOException.class, () -> JsonNumbers.parseStrict("{\"a\":1} x"));
    }

    @Test
    void scoreJsonWithoutNegativeImagesIsStrictWithReasons(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "patientId,x,y,width,height,Target\np1,0,0,10,10,1\np2,0,0,10,10,1\n");
        Path sub = dir.resolve("sub.csv");
        Files.writeString(sub, "patientId,PredictionString\np1,0.9 0 0 10 10\np2,0.8 0 0 10 5\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScoreCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(labels.toString(), sub.toString(), "--json"));
        String json = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, json + err);
        JsonObject o = JsonNumbers.parseStrict(json).getAsJsonObject();
        JsonObject fpNeg = o.getAsJsonObject("intervals").getAsJsonObject(DetectionBootstrap.FP_PER_NEGATIVE);
        assertTrue(fpNeg.get("value").isJsonNull(), fpNeg.toString());
        assertEquals("the labels have no image without a box", fpNeg.get("value" + JsonNumbers.UNDEFINED).getAsString());
        assertTrue(fpNeg.get("lo").isJsonNull() && fpNeg.get("hi").isJsonNull(), fpNeg.toString());
        // the defined numbers stay numbers
        assertTrue(o.get("metric").getAsJsonPrimitive().isNumber(), o.toString());
    }

    @Test
    void aNumberIsWrittenOrNullWithItsReason() throws Exception {
        JsonObject o = new JsonObject();
        JsonNumbers.put(o, "x", 0.25, "unused");
        JsonNumbers.put(o, "y", Double.NaN, "no image");
        JsonNumbers.put(o, "z", Double.POSITIVE_INFINITY, "divided by zero");
        JsonObject back = JsonNumbers.parseStrict(ResultJson.print(o)).getAsJsonObject();
        assertEquals(0.25, back.get("x").getAsDouble(), 0.0);
        assertTrue(back.get("y").isJsonNull());
        assertEquals("no image", back.get("yUndefined").getAsString());
        assertEquals("divided by zero (Infinity)", back.get("zUndefined").getAsString());
        assertThrows(IllegalArgumentException.class, () -> {
            JsonObject raw = new JsonObject();
            raw.addProperty("nan", Double.NaN);
            ResultJson.print(raw);
        }, "a NaN that escaped JsonNumbers fails loudly instead of printing NaN");
    }
}
