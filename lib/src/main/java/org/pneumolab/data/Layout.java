package org.pneumolab.data;

/** Axis order of a batch tensor: DL4J's CNN layers want NCHW; some imported Keras graphs want NHWC. */
public enum Layout {
    NCHW, NHWC
}
