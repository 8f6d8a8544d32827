package org.pneumolab.data;

import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;

/**
 * What {@link ImagePipeline} makes of an image file: target size, how to resize (and whether to
 * keep the aspect ratio by padding), the input normalisation, the channel count (3 replicates
 * the grey channel for pretrained backbones) and the tensor layout.
 */
public record PipelineSpec(int width, int height, Interpolation interpolation, boolean keepAspect,
                           Normalization normalization, int channels, Layout layout) {

    public PipelineSpec {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + " x " + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
    }

    /** Square input for an ImageNet backbone (VGG16 224, InceptionV3 299): stretched, ImageNet-normalised, NCHW. */
    public static PipelineSpec classification(int size) {
        return new PipelineSpec(size, size, Interpolation.AREA, false, Normalization.IMAGENET, 3, Layout.NCHW);
    }

    /** Square detector input keeping the aspect ratio (RSNA images are square already, so no padding there). */
    public static PipelineSpec detection(int size) {
        return new PipelineSpec(size, size, Interpolation.AREA, true, Normalization.IMAGENET, 3, Layout.NCHW);
    }

    public PipelineSpec withNormalization(Normalization n) {
        return new PipelineSpec(width, height, interpolation, keepAspect, n, channels, layout);
    }

    public PipelineSpec withChannels(int c) {
        return new PipelineSpec(width, height, interpolation, keepAspect, normalization, c, layout);
    }

    public PipelineSpec withLayout(Layout l) {
        return new PipelineSpec(width, height, interpolation, keepAspect, normalization, channels, l);
    }

    public PipelineSpec withKeepAspect(boolean keep) {
        return new PipelineSpec(width, height, interpolation, keep, normalization, channels, layout);
    }

    /**
     * Every field by name, as run folders' {@code config.json} record it (detector and classifier
     * runs alike): the normalisation is part of a run's spec, unlike {@link #resizeKey()}.
     */
    public com.google.gson.JsonObject toJson() {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("width", width);
        o.addProperty("height", height);
        o.addProperty("interpolation", interpolation.name());
        o.addProperty("keepAspect", keepAspect);
        o.addProperty("normalization", normalization.name());
        o.addProperty("channels", channels);
        o.addProperty("layout", layout.name());
        return o;
    }

    /** The pipeline {@link #toJson} wrote. */
    public static PipelineSpec fromJson(com.google.gson.JsonObject o) {
        for (String f : java.util.List.of("width", "height", "interpolation", "keepAspect", "normalization", "channels", "layout")) {
            if (!o.has(f) || o.get(f).isJsonNull()) {
                throw new IllegalArgumentException("pipeline without " + f + ": " + o);
            }
        }
        return new PipelineSpec(o.get("width").getAsInt(), o.get("height").getAsInt(),
                Interpolation.valueOf(o.get("interpolation").getAsString()), o.get("keepAspect").getAsBoolean(),
                Normalization.valueOf(o.get("normalization").getAsString()), o.get("channels").getAsInt(),
                Layout.valueOf(o.get("layout").getAsString()));
    }

    /**
     * The part of the spec that decides the cached pixels (size and resizing). Normalisation,
     * channels and layout are applied after the cache, so changing them reuses the same entries.
     */
    public String resizeKey() {
        return width + "x" + height + "/" + interpolation + "/" + (keepAspect ? "pad" : "stretch");
    }

    /** Shape of one image's tensor in this layout, without the batch axis. */
    public long[] imageShape() {
        return layout == Layout.NCHW ? new long[]{channels, height, width} : new long[]{height, width, channels};
    }
}
