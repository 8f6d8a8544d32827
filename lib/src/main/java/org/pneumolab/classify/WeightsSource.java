package org.pneumolab.classify;

import java.util.Objects;

/**
 * Where a backbone's weights came from. Every model reports this so a result is never mistaken
 * for an ImageNet transfer-learning result when the base was in fact randomly initialised.
 *
 * @param kind   IMAGENET when pretrained weights were loaded, RANDOM otherwise
 * @param detail the file or zoo entry used, or why pretrained weights were not available
 */
public record WeightsSource(Kind kind, String detail) {
    public enum Kind { IMAGENET, RANDOM }

    public WeightsSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public static WeightsSource imagenet(String detail) {
        return new WeightsSource(Kind.IMAGENET, detail);
    }

    public static WeightsSource random(String why) {
        return new WeightsSource(Kind.RANDOM, why);
    }

    public boolean pretrained() {
        return kind == Kind.IMAGENET;
    }

    @Override
    public String toString() {
        return kind + " (" + detail + ")";
    }
}
