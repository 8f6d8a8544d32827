package org.pneumolab.data;

/** How {@link ClassificationIterator} encodes labels. */
public enum LabelMode {
    /** Two columns [normal, pneumonia], for a softmax output. */
    ONE_HOT,
    /** One column holding 0 or 1, for a sigmoid output. */
    SINGLE
}
