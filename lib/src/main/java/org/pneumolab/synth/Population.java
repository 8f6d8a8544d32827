package org.pneumolab.synth;

/** Whose chests: RSNA's adults (ages 1-90, mostly adults) or Kermany's children (1-5 years). */
enum Population {
    ADULT,
    CHILD
}
