/**
 * Run folders, detectors' and classifiers', as units a user can hold: {@link org.pneumolab.runs.Runs#table} lists every
 * scored run (model, what differs from its study's defaults, kept epoch, val and held-out metric
 * with its interval, training time and date); {@link org.pneumolab.runs.Runs#compare} puts two
 * side by side with a paired bootstrap over the held-out (classifiers: test) images both were evaluated on;
 * {@link org.pneumolab.runs.Runs#curves} draws several runs' training curves in one chart.
 */
package org.pneumolab.runs;
