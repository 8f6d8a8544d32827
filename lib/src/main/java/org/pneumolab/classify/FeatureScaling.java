package org.pneumolab.classify;

/**
 * What the head does to the base's activations before its Dense layer.
 * <p>
 * The published study's head reads raw activations ({@link #NONE}); that works for ImageNet features, which
 * vary strongly between images. Activations of a random-init base are nearly constant across
 * images (mean ~0.6, spread ~0.09 at VGG16 block3_pool on the synthetic sample), so a Dense-ReLU
 * head at the published study's learning rate sees almost the same input for every image and learns nothing
 * (test ROC AUC 0.49-0.60 measured). {@link #STANDARDIZE} centres and scales each activation with
 * the training split's statistics, as scikit-learn's StandardScaler would before a linear model.
 */
public enum FeatureScaling {
    /** The published study's head: Flatten -> Dense on raw activations. */
    NONE,
    /**
     * A frozen first layer of the head maps each activation x to (x - mean) / std, with mean and
     * std of that activation over the training split (std 0 -> 1, so a constant feature becomes 0).
     */
    STANDARDIZE
}
