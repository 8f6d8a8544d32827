package org.pneumolab.classify;

import org.pneumolab.io.Digests;

/**
 * Everything that decides a cached feature tensor: the base (model, weights, input size), the
 * layer read out, the data and the preprocessing. Any change gives a different file.
 */
public record FeatureKey(String backbone, String layer, DataIdentity data, Preprocessing preprocessing) {

    public static FeatureKey of(Backbone backbone, String layer, DataIdentity data) {
        return new FeatureKey(backbone.cacheIdentity(), layer, data, backbone.preprocessing());
    }

    /** The text stored inside the cache file and checked on load. */
    public String text() {
        return backbone + "|layer " + layer + "|data " + data.digest() + "|" + preprocessing;
    }

    /** File name stem: a hash of {@link #text()}. */
    public String fileStem() {
        return Digests.sha256Hex(text()).substring(0, 32);
    }
}
