package org.pneumolab.detect;

import java.util.List;

/**
 * Shape of a ResNet backbone. {@link #RESNET50} is the paper profile (layer names as in the DL4J
 * zoo ResNet50, so ImageNet weights can be copied by name); {@link #SAMPLE} is a narrow, shallow
 * ResNet with basic blocks that trains on a CPU at ~128 px in minutes.
 *
 * @param widths output channels of stages C2..C5 (strides 4, 8, 16, 32)
 * @param blocks residual blocks per stage
 * @param bottleneck ResNet50-style 1x1-3x3-1x1 blocks (width/4 inside) instead of 3x3-3x3 basic blocks
 */
public record BackboneSpec(String name, int stemWidth, List<Integer> widths, List<Integer> blocks, boolean bottleneck) {
    public static final BackboneSpec RESNET50 = new BackboneSpec("resnet50", 64,
            List.of(256, 512, 1024, 2048), List.of(3, 4, 6, 3), true);
    public static final BackboneSpec SAMPLE = new BackboneSpec("sample-resnet", 16,
            List.of(16, 32, 48, 64), List.of(1, 1, 1, 1), false);
    /** For gradient checks: the smallest network with every kind of piece. */
    public static final BackboneSpec TINY = new BackboneSpec("tiny-resnet", 4,
            List.of(4, 4, 4, 4), List.of(1, 1, 1, 1), false);

    /** Lists, not arrays, so that two specs with the same numbers are equal (a config is a value). */
    public BackboneSpec {
        if (widths.size() != 4 || blocks.size() != 4) {
            throw new IllegalArgumentException("a ResNet backbone has 4 stages (C2..C5)");
        }
        widths = List.copyOf(widths);
        blocks = List.copyOf(blocks);
    }

    public String toJson() {
        return toJsonTree().toString();
    }

    /** Every field by name. */
    public com.google.gson.JsonObject toJsonTree() {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("name", name);
        o.addProperty("stemWidth", stemWidth);
        com.google.gson.JsonArray w = new com.google.gson.JsonArray();
        widths.forEach(w::add);
        o.add("widths", w);
        com.google.gson.JsonArray b = new com.google.gson.JsonArray();
        blocks.forEach(b::add);
        o.add("blocks", b);
        o.addProperty("bottleneck", bottleneck);
        return o;
    }
}
