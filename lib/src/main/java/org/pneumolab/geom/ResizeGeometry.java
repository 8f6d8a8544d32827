package org.pneumolab.geom;

/**
 * Where a source image lands in the target canvas: scaled by {@code scaleX, scaleY} and shifted
 * by {@code padLeft, padTop} (both 0 when the image is stretched to fill). Boxes go through the
 * same map, so ground truth follows the pixels and predictions can be taken back to the
 * original image.
 */
public record ResizeGeometry(int srcWidth, int srcHeight, int dstWidth, int dstHeight,
                             double scaleX, double scaleY, int padLeft, int padTop) {

    /** Fills the target, changing the aspect ratio if the shapes differ. */
    public static ResizeGeometry stretch(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        return new ResizeGeometry(srcWidth, srcHeight, dstWidth, dstHeight,
                (double) dstWidth / srcWidth, (double) dstHeight / srcHeight, 0, 0);
    }

    /**
     * Keeps the aspect ratio: the image is scaled to fit and centred, the rest is padding. The
     * scales are those of the rounded content size, so boxes match the resized pixels exactly.
     */
    public static ResizeGeometry keepAspect(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        double s = Math.min((double) dstWidth / srcWidth, (double) dstHeight / srcHeight);
        int cw = Math.max(1, Math.min(dstWidth, (int) Math.round(srcWidth * s)));
        int ch = Math.max(1, Math.min(dstHeight, (int) Math.round(srcHeight * s)));
        return new ResizeGeometry(srcWidth, srcHeight, dstWidth, dstHeight,
                (double) cw / srcWidth, (double) ch / srcHeight, (dstWidth - cw) / 2, (dstHeight - ch) / 2);
    }

    /** Width of the image content inside the canvas (the canvas minus padding). */
    public int contentWidth() {
        return (int) Math.round(srcWidth * scaleX);
    }

    public int contentHeight() {
        return (int) Math.round(srcHeight * scaleY);
    }

    /** A box in source pixels to target (canvas) pixels. */
    public Box toTarget(Box b) {
        return new Box(b.x1() * scaleX + padLeft, b.y1() * scaleY + padTop,
                b.x2() * scaleX + padLeft, b.y2() * scaleY + padTop);
    }

    /**
     * A box in target pixels (e.g. a prediction) back to source pixels, clipped to the source
     * image because a prediction may reach into the padding.
     */
    public Box toSource(Box b) {
        double x1 = (b.x1() - padLeft) / scaleX;
        double y1 = (b.y1() - padTop) / scaleY;
        double x2 = (b.x2() - padLeft) / scaleX;
        double y2 = (b.y2() - padTop) / scaleY;
        return new Box(clamp(x1, srcWidth), clamp(y1, srcHeight), clamp(x2, srcWidth), clamp(y2, srcHeight));
    }

    /**
     * The geometry of the horizontally mirrored canvas: the same scales, the content now starting
     * where it ended. With it, {@link #toSource} takes a box predicted on the mirrored canvas to the
     * mirrored source image (x measured from the source's right edge); {@link Box#mirroredX} with
     * {@code srcWidth} then gives the box in the original image. Padding need not be symmetric
     * (an odd margin puts the extra pixel on the right), which is why this is not simply the same
     * geometry.
     */
    public ResizeGeometry mirrored() {
        return new ResizeGeometry(srcWidth, srcHeight, dstWidth, dstHeight, scaleX, scaleY,
                dstWidth - padLeft - contentWidth(), padTop);
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
