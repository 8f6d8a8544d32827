package org.pneumolab.classify.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.pneumolab.classify.FeatureScaling;
import org.pneumolab.runtime.Profile;

/** Notebooks 02 and 03's configuration is a value, and every knob of its builder changes it. */
class StudyConfigTest {
    private static final StudyConfig BASE = StudyConfig.forProfile(Profile.SAMPLE, 2);

    private static Map<String, Consumer<StudyConfig.Builder>> knobs() {
        Map<String, Consumer<StudyConfig.Builder>> k = new LinkedHashMap<>();
        k.put("seed", c -> c.seed(3));
        k.put("valFraction", c -> c.valFraction(0.3));
        k.put("maxImagesPerSplit", c -> c.maxImagesPerSplit(100));
        k.put("vggSize", c -> c.vggSize(96));
        k.put("inceptionSize", c -> c.inceptionSize(99));
        k.put("epochs", c -> c.epochs(5));
        k.put("batchSize", c -> c.batchSize(8));
        k.put("headLearningRate", c -> c.headLearningRate(3e-4));
        k.put("fineTuneEpochs", c -> c.fineTuneEpochs(2));
        k.put("fineTuneLearningRate", c -> c.fineTuneLearningRate(3e-5));
        k.put("bootstrapResamples", c -> c.bootstrapResamples(100));
        k.put("threshold", c -> c.threshold(0.4));
        k.put("layers", c -> c.layers(StudyConfig.VGG16_PUBLISHED, "block5_conv3", StudyConfig.INCEPTION_PUBLISHED));
        k.put("featureScaling", c -> c.featureScaling(FeatureScaling.NONE));
        return k;
    }

    @Test
    void everyKnobChangesTheValueAndItsPrintout() {
        Set<String> setters = new TreeSet<>();
        for (Method m : StudyConfig.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == StudyConfig.Builder.class) {
                setters.add(m.getName());
            }
        }
        assertEquals(setters, new TreeSet<>(knobs().keySet()), "a builder knob without a line in knobs()");
        for (Map.Entry<String, Consumer<StudyConfig.Builder>> e : knobs().entrySet()) {
            StudyConfig changed = BASE.with(e.getValue());
            assertNotEquals(BASE, changed, e.getKey());
            assertNotEquals(BASE.toString(), changed.toString(), e.getKey() + " is not printed");
        }
        assertEquals(BASE, StudyConfig.forProfile(Profile.SAMPLE, 2), "a configuration is a value");
        assertEquals(BASE, BASE.with(c -> { }), "no change, same value");
    }

    @Test
    void theBuilderValidates() {
        assertThrows(IllegalArgumentException.class, () -> BASE.with(c -> c.inceptionSize(60)));
        assertThrows(IllegalArgumentException.class, () -> BASE.with(c -> c.threshold(1.0)));
    }

    @Test
    void theOldTargetedChangesStillReadTheSame() {
        assertEquals(BASE.with(c -> c.epochs(3).fineTuneEpochs(1)), BASE.withEpochs(3, 1));
        assertEquals(BASE.with(c -> c.vggSize(32).inceptionSize(75)), BASE.withSizes(32, 75));
    }
}
