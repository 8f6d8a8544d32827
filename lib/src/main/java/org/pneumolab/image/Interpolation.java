package org.pneumolab.image;

/** How {@link Resize} computes a target pixel. */
public enum Interpolation {
    /**
     * Average of the source area the target pixel covers (exact box filter) when shrinking, so
     * a 1024 px radiograph reduced to 224 px does not alias; bilinear when enlarging (as OpenCV's
     * INTER_AREA).
     */
    AREA,
    /** Bilinear with pixel centres at half-integers (OpenCV / PIL convention, not align-corners). */
    BILINEAR
}
