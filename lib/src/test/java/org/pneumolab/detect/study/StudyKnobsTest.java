package org.pneumolab.detect.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.BackboneSpec;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Normalization;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * Every knob of notebook 04's spec (and so of notebook 05's, which opens the same runs) is part of
 * the run identity, and a non-default value changes what a study computes.
 */
class StudyKnobsTest {
    private static final StudySpec BASE = StudySpec.forProfile(Profile.SAMPLE, 2018);
    /** Training images as a study's data would give them (ids and boxes; no pixels are read). */
    private static final List<DetectionSample> TRAIN = List.of(
            new DetectionSample("p1", Path.of("p1.dcm"), List.of(new Box(10, 20, 30, 40))),
            new DetectionSample("p2", Path.of("p2.dcm"), List.of()));

    /** The run name a study of {@code s} gives model {@code c}, the split made as {@code split} says. */
    private static String runName(Contender c, StudySpec s, StudySpec split) {
        return c.runSpec(s, TRAIN, DetectionData.splitJson(split)).runName(c.runName());
    }

    /** One non-default setting per builder method; the test below checks none is missing. */
    private static Map<String, Consumer<StudySpec.Builder>> knobs() {
        Map<String, Consumer<StudySpec.Builder>> k = new LinkedHashMap<>();
        k.put("seed", s -> s.seed(7));
        k.put("epochs", s -> s.epochs(3));
        k.put("batchSize", s -> s.batchSize(4));
        k.put("inputSize", s -> s.inputSize(160));
        k.put("fractions", s -> s.fractions(0.5, 0.25, 0.25));
        k.put("post", s -> s.post(new PostProcess(0.3, 0.1, 4, 0.875)));
        k.put("augment", s -> s.augment(AugmentSpec.detection())); // the sample profile trains unaugmented
        k.put("maxStepsPerEpoch", s -> s.maxStepsPerEpoch(2));
        k.put("weights", null); // a shorthand: RANDOM sets both detectors' pretrained and frozenNorm (their lines)
        k.put("normalization", s -> s.normalization(Normalization.UNIT));
        k.put("retinaNet.backbone", s -> s.retinaNet(r -> r.backbone(BackboneSpec.TINY)));
        k.put("retinaNet.inputSize", s -> s.retinaNet(r -> r.inputSize(160)).fasterRcnn(f -> f.inputSize(160)));
        k.put("retinaNet.inChannels", s -> s.retinaNet(r -> r.inChannels(3)));
        k.put("retinaNet.fpnChannels", s -> s.retinaNet(r -> r.fpnChannels(16)));
        k.put("retinaNet.headConvs", s -> s.retinaNet(r -> r.headConvs(2)));
        k.put("retinaNet.levels", s -> s.retinaNet(r -> r.levels(4)));
        k.put("retinaNet.anchorScale", s -> s.retinaNet(r -> r.anchorScale(0.75)));
        k.put("retinaNet.focalAlpha", s -> s.retinaNet(r -> r.focalAlpha(0.5)));
        k.put("retinaNet.focalGamma", s -> s.retinaNet(r -> r.focalGamma(1.0)));
        k.put("retinaNet.matchIou", s -> s.retinaNet(r -> r.matchIou(0.6, 0.3)));
        k.put("retinaNet.topK", s -> s.retinaNet(r -> r.topK(100)));
        k.put("retinaNet.inferenceBatch", s -> s.retinaNet(r -> r.inferenceBatch(2)));
        k.put("retinaNet.learningRate", s -> s.retinaNet(r -> r.learningRate(1e-3)));
        k.put("retinaNet.seed", s -> s.seed(5));
        k.put("retinaNet.pretrained", s -> s.retinaNet(r -> r.pretrained(true)));
        // frozen affines need a pretrained backbone (DetectorConfig.requireNormalisation)
        k.put("retinaNet.frozenNorm", s -> s.retinaNet(r -> r.pretrained(true).frozenNorm(true)));
        k.put("retinaNet.doublePrecision", s -> s.retinaNet(r -> r.doublePrecision(true)));
        k.put("fasterRcnn.backbone", s -> s.fasterRcnn(f -> f.backbone(BackboneSpec.TINY)));
        k.put("fasterRcnn.inputSize", s -> s.inputSize(96));
        k.put("fasterRcnn.inChannels", s -> s.fasterRcnn(f -> f.inChannels(3)));
        k.put("fasterRcnn.rpnChannels", s -> s.fasterRcnn(f -> f.rpnChannels(16)));
        k.put("fasterRcnn.anchorSizes", s -> s.fasterRcnn(f -> f.anchorSizes(24, 48)));
        k.put("fasterRcnn.pooledSize", s -> s.fasterRcnn(f -> f.pooledSize(3)));
        k.put("fasterRcnn.fcWidth", s -> s.fasterRcnn(f -> f.fcWidth(32)));
        k.put("fasterRcnn.samplesPerImage", s -> s.fasterRcnn(f -> f.samplesPerImage(32, 8)));
        k.put("fasterRcnn.proposals", s -> s.fasterRcnn(f -> f.proposals(100, 16)));
        k.put("fasterRcnn.proposalNmsIou", s -> s.fasterRcnn(f -> f.proposalNmsIou(0.6)));
        k.put("fasterRcnn.rpnMatchIou", s -> s.fasterRcnn(f -> f.rpnMatchIou(0.6, 0.2)));
        k.put("fasterRcnn.roiIou", s -> s.fasterRcnn(f -> f.roiIou(0.4)));
        k.put("fasterRcnn.learningRate", s -> s.fasterRcnn(f -> f.learningRate(3e-4)));
        k.put("fasterRcnn.seed", s -> s.seed(6));
        k.put("fasterRcnn.skipNegativeImages", null); // not a spec knob: Contender.FASTER_RCNN_PUBLISHED sets it
        k.put("fasterRcnn.pretrained", s -> s.fasterRcnn(f -> f.pretrained(true)));
        k.put("fasterRcnn.frozenNorm", s -> s.fasterRcnn(f -> f.pretrained(true).frozenNorm(true)));
        k.put("fasterRcnn.doublePrecision", s -> s.fasterRcnn(f -> f.doublePrecision(true)));
        return k;
    }

    @Test
    void everyBuilderMethodIsAKnobHere() {
        Set<String> methods = new TreeSet<>();
        methods.addAll(setters(StudySpec.Builder.class, ""));
        methods.addAll(setters(RetinaNetConfig.Builder.class, "retinaNet."));
        methods.addAll(setters(FasterRcnnConfig.Builder.class, "fasterRcnn."));
        // the spec's retinaNet/fasterRcnn setters take the nested builders, covered by their own names
        methods.remove("retinaNet");
        methods.remove("fasterRcnn");
        assertEquals(methods, new TreeSet<>(knobs().keySet()), "a builder knob without a line in knobs(), or the reverse");
    }

    @Test
    void everyKnobReachesTheRunIdentity() {
        Set<String> baseRuns = Arrays.stream(Contender.values()).map(c -> runName(c, BASE, BASE)).collect(Collectors.toSet());
        for (Map.Entry<String, Consumer<StudySpec.Builder>> e : knobs().entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            StudySpec changed = BASE.with(e.getValue());
            String knob = e.getKey();
            assertNotEquals(BASE, changed, knob + " left the spec equal");
            assertNotEquals(BASE.toJson(), changed.toJson(), knob + " is not in the spec's identity");
            assertEquals(changed, StudySpec.fromJson(changed.toJson()), knob + " does not read back from the spec's JSON");
            assertNotEquals(BASE.toString(), changed.toString(), knob + " is not printed");
            // the models the knob shapes get a new run; the others keep theirs
            for (Contender c : Contender.values()) {
                boolean shapes = !knob.startsWith("retinaNet.") && !knob.startsWith("fasterRcnn.")
                        || knob.startsWith("retinaNet.") == (c == Contender.RETINANET)
                        || knob.endsWith(".seed") || knob.endsWith(".inputSize");
                assertEquals(shapes, !baseRuns.contains(runName(c, changed, changed)),
                        knob + (shapes ? " does not reach " : " needlessly changes ") + c + "'s run identity");
            }
        }
        assertEquals(BASE, StudySpec.forProfile(Profile.SAMPLE, 2018), "a spec is a value");
        assertEquals(BASE.hashCode(), StudySpec.forProfile(Profile.SAMPLE, 2018).hashCode());
    }

    /**
     * Notebooks' TRAINING_SEEDS (K) is not a spec knob but an argument of
     * {@code DetectionStudy.run(contenders, K)}: training seed k trains the spec with
     * {@link StudySpec#withSeed} (the data's split is the study's). Each of those seeds must reach
     * both detectors and every model's run identity, and K seeds must give K distinct runs per model.
     */
    @Test
    void everyTrainingSeedReachesTheRunIdentity() {
        int k = 3;
        for (Contender c : Contender.values()) {
            Set<String> runs = new TreeSet<>();
            for (int i = 0; i < k; i++) {
                long seed = DetectionStudy.trainingSeed(BASE, i);
                StudySpec s = BASE.withSeed(seed);
                assertEquals(BASE.with(b -> b.seed(seed)), s, "withSeed is the builder's seed knob");
                assertEquals(seed, s.retinaNet().seed());
                assertEquals(seed, s.fasterRcnn().seed());
                assertEquals(BASE.fractions(), s.fractions(), "a training seed keeps the split fractions");
                runs.add(runName(c, s, BASE)); // the data keeps the study's split
            }
            assertEquals(k, runs.size(), c + ": " + k + " training seeds must give " + k + " runs: " + runs);
        }
        assertEquals(BASE, BASE.withSeed(DetectionStudy.trainingSeed(BASE, 0)), "seed k = 0 is the spec's own");
    }

    /** A tiny study twice: once as is, once with non-default knobs; the numbers must move. */
    @Test
    void nonDefaultKnobsChangeTheResult(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(3).withRsna(60).withKermany(0).withSizes(256, 900, 2000),
                tmp.resolve("sample"));
        DataConfig config = new DataConfig(tmp, Optional.empty(), Optional.empty(), tmp.resolve("sample"),
                tmp.resolve("cache"), tmp.resolve("runs"));
        ProblemLog log = ProblemLog.quiet();
        StudySpec plain = StudySpec.forProfile(Profile.SAMPLE, 3).with(s -> s.epochs(1).inputSize(64));
        StudySpec turned = plain.with(s -> s.retinaNet(r -> r.focalGamma(1.0).topK(50))
                .fasterRcnn(f -> f.proposals(100, 8).anchorSizes(12, 24, 48)));
        List<Contender> both = List.of(Contender.RETINANET, Contender.FASTER_RCNN);
        StudyResult a = DetectionStudy.open(config, plain, log).run(both);
        StudyResult b = DetectionStudy.open(config, turned, log).run(both);
        for (Contender c : both) {
            ModelOutcome x = a.outcome(c);
            ModelOutcome y = b.outcome(c);
            assertTrue(!x.reused() && !y.reused(), c + ": a changed knob must train a new run, not reuse one");
            assertNotEquals(x.runName(), y.runName());
            assertNotEquals(x.history().series("train_loss")[0], y.history().series("train_loss")[0],
                    c + ": the first epoch's training loss did not move");
        }
        // and the same spec again reuses both runs, to the same numbers
        // notebook 05 opens the study notebook 04 ran last, not a retyped spec
        assertEquals(turned, DetectionStudy.openLast(config, Profile.SAMPLE, 3, log).spec());
        assertEquals(StudySpec.forProfile(Profile.SAMPLE, 4),
                DetectionStudy.openLast(config, Profile.SAMPLE, 4, log).spec(), "no study yet: the defaults");
        StudyResult again = DetectionStudy.open(config, turned, log).run(both);
        for (Contender c : both) {
            assertTrue(again.outcome(c).reused());
            assertEquals(b.outcome(c).heldOut().score(), again.outcome(c).heldOut().score(), 0.0);
        }
    }

    private static Set<String> setters(Class<?> builder, String prefix) {
        Set<String> out = new TreeSet<>();
        for (Method m : builder.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == builder) {
                out.add(prefix + m.getName());
            }
        }
        return out;
    }
}
