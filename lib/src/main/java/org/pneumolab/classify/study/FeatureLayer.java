package org.pneumolab.classify.study;

import java.util.Objects;

/**
 * Where a study cuts one base: the vertex whose activations the head is trained on, and the
 * layer Grad-CAM looks at (the last convolutional stage at or before the cut).
 *
 * @param features vertex the head reads (the base is cut there), e.g. block5_pool or mixed10
 * @param gradCam  Grad-CAM layer, at or before {@code features}
 */
public record FeatureLayer(String features, String gradCam) {
    public FeatureLayer {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(gradCam, "gradCam");
    }
}
