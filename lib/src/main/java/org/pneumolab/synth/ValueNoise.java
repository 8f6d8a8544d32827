package org.pneumolab.synth;

/**
 * Smooth seeded 2-D value noise in [0, 1]: the texture of clouds, lung markings and film
 * mottle. A hash of the lattice point and the seed gives each corner's value; smoothstep
 * interpolation between corners keeps it free of grid artefacts at the scales used here.
 */
final class ValueNoise {
    private final long seed;

    ValueNoise(long seed) {
        this.seed = seed;
    }

    double at(double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        long ix = (long) fx;
        long iy = (long) fy;
        double tx = smooth(x - fx);
        double ty = smooth(y - fy);
        double a = corner(ix, iy);
        double b = corner(ix + 1, iy);
        double c = corner(ix, iy + 1);
        double d = corner(ix + 1, iy + 1);
        double top = a + (b - a) * tx;
        double bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }

    /** Three octaves, each half as strong and twice as fine; result in [0, 1]. */
    double fractal(double x, double y) {
        return (at(x, y) * 4 + at(x * 2.03 + 17.1, y * 2.03 + 5.3) * 2 + at(x * 4.1 + 3.7, y * 4.1 + 29.9)) / 7.0;
    }

    private double corner(long ix, long iy) {
        long h = FrozenSampleSeeds.mix(seed ^ (ix * 0x9E3779B97F4A7C15L) ^ (iy * 0xC2B2AE3D27D4EB4FL));
        return (h >>> 11) * 0x1.0p-53;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }
}
