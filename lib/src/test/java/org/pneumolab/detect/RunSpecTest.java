package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.Layout;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * A run's one identity: every field of {@link RunSpec} (and every field of the pipeline,
 * augmentation and training settings it holds) changes {@code config.json} and so the identity and
 * the run folder's name; the JSON is strict JSON that reads back to the same pipeline.
 */
class RunSpecTest {
    private static final List<DetectionSample> TRAIN = List.of(
            new DetectionSample("p1", Path.of("p1.dcm"), List.of(new Box(10, 20, 30, 40))),
            new DetectionSample("p2", Path.of("p2.dcm"), List.of()));
    private static final PipelineSpec PIPE = new PipelineSpec(128, 128, Interpolation.AREA, true, Normalization.IMAGENET, 1,
            Layout.NCHW);
    private static final RunSpec BASE = new RunSpec(RetinaNetConfig.sample(3).toJson(), PIPE, AugmentSpec.none(),
            new DetectorTrainer.Settings(20, 8, 3, 0), "val_x", "x on val", RunSpec.data(TRAIN, new JsonObject()).toString());

    private static RunSpec pipe(PipelineSpec p) {
        return new RunSpec(BASE.detectorJson(), p, BASE.augment(), BASE.training(), BASE.selectBy(), BASE.validation(), BASE.data());
    }

    private static RunSpec augment(AugmentSpec a) {
        return new RunSpec(BASE.detectorJson(), BASE.pipeline(), a, BASE.training(), BASE.selectBy(), BASE.validation(), BASE.data());
    }

    private static RunSpec training(DetectorTrainer.Settings t) {
        return new RunSpec(BASE.detectorJson(), BASE.pipeline(), BASE.augment(), t, BASE.selectBy(), BASE.validation(), BASE.data());
    }

    private static RunSpec data(List<DetectionSample> train, JsonObject extra) {
        return new RunSpec(BASE.detectorJson(), BASE.pipeline(), BASE.augment(), BASE.training(), BASE.selectBy(),
                BASE.validation(), RunSpec.data(train, extra).toString());
    }

    /** One changed value per field, named "record.component"; the test checks none is missing. */
    private static Map<String, RunSpec> changes() {
        Map<String, RunSpec> m = new LinkedHashMap<>();
        m.put("RunSpec.detectorJson", new RunSpec(RetinaNetConfig.sample(3).with(r -> r.focalGamma(1.0)).toJson(), PIPE,
                BASE.augment(), BASE.training(), BASE.selectBy(), BASE.validation(), BASE.data()));
        m.put("RunSpec.selectBy", new RunSpec(BASE.detectorJson(), PIPE, BASE.augment(), BASE.training(), "val_y",
                BASE.validation(), BASE.data()));
        m.put("RunSpec.validation", new RunSpec(BASE.detectorJson(), PIPE, BASE.augment(), BASE.training(), BASE.selectBy(),
                "x on val, another post-processing", BASE.data()));
        m.put("RunSpec.data", data(TRAIN.subList(0, 1), new JsonObject()));
        m.put("PipelineSpec.width", pipe(new PipelineSpec(160, 128, Interpolation.AREA, true, Normalization.IMAGENET, 1, Layout.NCHW)));
        m.put("PipelineSpec.height", pipe(new PipelineSpec(128, 160, Interpolation.AREA, true, Normalization.IMAGENET, 1, Layout.NCHW)));
        m.put("PipelineSpec.interpolation", pipe(new PipelineSpec(128, 128, Interpolation.BILINEAR, true, Normalization.IMAGENET, 1, Layout.NCHW)));
        m.put("PipelineSpec.keepAspect", pipe(PIPE.withKeepAspect(false)));
        m.put("PipelineSpec.normalization", pipe(PIPE.withNormalization(Normalization.UNIT)));
        m.put("PipelineSpec.channels", pipe(PIPE.withChannels(3)));
        m.put("PipelineSpec.layout", pipe(PIPE.withLayout(Layout.NHWC)));
        m.put("AugmentSpec.flipProbability", augment(new AugmentSpec(0.5, 0, 0, 0, 0, 0)));
        m.put("AugmentSpec.maxRotationDegrees", augment(new AugmentSpec(0, 5, 0, 0, 0, 0)));
        m.put("AugmentSpec.maxScaleChange", augment(new AugmentSpec(0, 0, 0.1, 0, 0, 0)));
        m.put("AugmentSpec.maxBrightness", augment(new AugmentSpec(0, 0, 0, 0.1, 0, 0)));
        m.put("AugmentSpec.maxContrast", augment(new AugmentSpec(0, 0, 0, 0, 0.1, 0)));
        m.put("AugmentSpec.maxShift", augment(new AugmentSpec(0, 0, 0, 0, 0, 0.1)));
        m.put("Settings.epochs", training(new DetectorTrainer.Settings(21, 8, 3, 0)));
        m.put("Settings.batchSize", training(new DetectorTrainer.Settings(20, 4, 3, 0)));
        m.put("Settings.seed", training(new DetectorTrainer.Settings(20, 8, 4, 0)));
        m.put("Settings.maxStepsPerEpoch", training(new DetectorTrainer.Settings(20, 8, 3, 2)));
        return m;
    }

    @Test
    void everyFieldIsEnumeratedHere() {
        TreeSet<String> fields = new TreeSet<>();
        for (Class<?> c : List.of(RunSpec.class, PipelineSpec.class, AugmentSpec.class, DetectorTrainer.Settings.class)) {
            for (RecordComponent rc : c.getRecordComponents()) {
                fields.add(c.getSimpleName() + "." + rc.getName());
            }
        }
        // the nested values are enumerated by their own fields
        fields.removeAll(List.of("RunSpec.pipeline", "RunSpec.augment", "RunSpec.training"));
        assertEquals(fields, new TreeSet<>(changes().keySet()), "a field without a line in changes(), or the reverse");
    }

    @Test
    void everyFieldReachesTheIdentityAndTheRunName() {
        for (Map.Entry<String, RunSpec> e : changes().entrySet()) {
            assertNotEquals(BASE.identity(), e.getValue().identity(), e.getKey() + " is not in the identity");
            assertNotEquals(BASE.runName("m"), e.getValue().runName("m"), e.getKey() + " is not in the run name");
        }
        // the data: another box, another image order, another split all count
        List<DetectionSample> moved = List.of(new DetectionSample("p1", Path.of("p1.dcm"), List.of(new Box(10, 20, 30, 41))),
                TRAIN.get(1));
        assertNotEquals(BASE.identity(), data(moved, new JsonObject()).identity());
        assertNotEquals(BASE.identity(), data(List.of(TRAIN.get(1), TRAIN.get(0)), new JsonObject()).identity());
        JsonObject split = new JsonObject();
        split.addProperty("splitSeed", 5);
        assertNotEquals(BASE.identity(), data(TRAIN, split).identity());
        // and the same values give the same identity
        assertEquals(BASE.identity(), new RunSpec(BASE.detectorJson(), PIPE, AugmentSpec.none(),
                new DetectorTrainer.Settings(20, 8, 3, 0), "val_x", "x on val", RunSpec.data(TRAIN, new JsonObject()).toString())
                .identity());
    }

    @Test
    void configJsonIsStrictJsonAndReadsBack() throws Exception {
        JsonObject o = org.pneumolab.io.JsonNumbers.parseStrict(BASE.toJson()).getAsJsonObject();
        assertEquals(PIPE, RunSpec.pipelineFrom(o.getAsJsonObject("pipeline")));
        assertEquals("retinanet", o.get("model").getAsString());
        assertEquals("val_x", o.getAsJsonObject("selection").get("metric").getAsString());
        assertTrue(o.getAsJsonObject("data").has("trainSha256"));
        // without a selection metric, "metric" is an explicit null beside the rule that applies
        JsonObject last = new JsonParser().parse(BASE.withoutSelection().toJson()).getAsJsonObject().getAsJsonObject("selection");
        assertTrue(last.get("metric").isJsonNull());
        assertEquals("the last epoch", last.get("rule").getAsString());
        assertThrows(IllegalArgumentException.class, () -> new RunSpec(BASE.detectorJson(), PIPE, AugmentSpec.none(),
                BASE.training(), "val_x", null, BASE.data()), "a metric without its description");
    }

    /** The folder SavedDetector reads records the pipeline whole, normalisation included. */
    @Test
    void savedDetectorRebuildsTheRecordedPipeline(@TempDir Path tmp) throws Exception {
        RetinaNetConfig cfg = RetinaNetConfig.sample(3).with(r -> r.inputSize(64));
        PipelineSpec unit = new PipelineSpec(64, 64, Interpolation.AREA, true, Normalization.UNIT, cfg.inChannels(), Layout.NCHW);
        RunSpec spec = new RunSpec(cfg.toJson(), unit, AugmentSpec.none(), new DetectorTrainer.Settings(1, 2, 3, 0), null, null,
                RunSpec.data(TRAIN, new JsonObject()).toString());
        RunStore store = new RunStore(tmp);
        store.open("r", spec.toJson());
        RetinaNet net = RetinaNet.create(cfg);
        store.save("r", 1, net.graph(), new org.pneumolab.train.TrainingHistory());
        store.writeKept("r", store.decide("r", null));
        SavedDetector saved = SavedDetector.load(store.dir("r"));
        assertEquals(unit, saved.pipeline());
        assertEquals(spec.identity(), org.pneumolab.io.Digests.sha256Hex(store.config("r")));
        assertTrue(Files.readString(store.dir("r").resolve("config.json")).contains("\"normalization\":\"UNIT\""));
    }
}
