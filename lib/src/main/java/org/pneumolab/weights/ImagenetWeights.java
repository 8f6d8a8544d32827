package org.pneumolab.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a base's ImageNet weight file under a {@link WeightsChoice}: found and matching its
 * published checksum, or why not; with {@link WeightsChoice#IMAGENET} a missing or bad file stops
 * the caller with {@link MissingWeights}, whose one message says what to do.
 */
public final class ImagenetWeights {
    private ImagenetWeights() {
    }

    /** The outcome for one file: a verified file, or the reason there is none. */
    public record Resolution(KerasFile wanted, Optional<WeightStore.Verified> verified, String whyNot) {
        public boolean found() {
            return verified.isPresent();
        }
    }

    /** Thrown before any training when the paper profile's ImageNet weights are missing or bad. */
    public static final class MissingWeights extends IllegalStateException {
        public MissingWeights(String message) {
            super(message);
        }
    }

    /** Looks for {@code wanted} in {@code store} and verifies it; never throws for a missing or bad file. */
    public static Resolution resolve(KerasFile wanted, WeightStore store) throws IOException {
        Optional<Path> file = store.find(wanted.fileName());
        if (file.isEmpty()) {
            return new Resolution(wanted, Optional.empty(), wanted.fileName() + " not found in " + searched(store));
        }
        try {
            return new Resolution(wanted, Optional.of(WeightStore.verify(file.get())), "");
        } catch (WeightStore.BadWeightFile e) {
            return new Resolution(wanted, Optional.empty(), e.getMessage());
        }
    }

    /**
     * The files' resolutions; with {@link WeightsChoice#IMAGENET}, stops with ONE message naming
     * every missing or bad file, the command that fetches them and the knob that chooses random
     * init on purpose. {@link WeightsChoice#RANDOM} looks for nothing and returns an empty list.
     */
    public static List<Resolution> require(WeightsChoice choice, WeightStore store, List<KerasFile> wanted)
            throws IOException {
        if (choice == WeightsChoice.RANDOM) {
            return List.of();
        }
        List<Resolution> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (KerasFile k : wanted) {
            Resolution r = resolve(k, store);
            out.add(r);
            if (!r.found()) {
                problems.add(r.whyNot());
            }
        }
        if (choice == WeightsChoice.IMAGENET && !problems.isEmpty()) {
            throw new MissingWeights(message(problems, store));
        }
        return out;
    }

    /** The one actionable message. */
    public static String message(List<String> problems, WeightStore store) {
        return "ImageNet weights are required (WeightsChoice.IMAGENET, the paper profile's default) and "
                + (problems.size() == 1 ? "one file is" : problems.size() + " files are") + " missing or bad: "
                + String.join("; ", problems)
                + ". Run `bin/pneumo weights` to fetch them into " + store.targetFolder()
                + " (offline it prints the URLs and the folder), or choose random init on purpose: "
                + "WEIGHTS = WeightsChoice.RANDOM in the notebook's first cell (in code: StudyConfig/StudySpec "
                + ".weights(WeightsChoice.RANDOM); rehearse: --weights random). Nothing was trained.";
    }

    static String searched(WeightStore store) {
        return store.folders().stream().map(Path::toString).toList().toString();
    }
}
