/**
 * Seeded synthetic chest radiographs in the exact layouts Kaggle ships, so every notebook and
 * test runs without the real data: {@code rsna/} (RSNA Pneumonia Detection Challenge, stage 2:
 * CSVs and JPEG Baseline DICOMs) and {@code chest_xray/} (Kermany pediatric JPEGs).
 *
 * <p>{@link org.pneumolab.synth.SampleGenerator} writes a sample for a
 * {@link org.pneumolab.synth.SampleSpec}; {@link org.pneumolab.synth.ChestRenderer} draws one
 * {@link org.pneumolab.synth.ChestCase}. Nothing here is real patient data, and the generated
 * images only resemble radiographs: numbers measured on them say that the code works, not how
 * well a model would do on real films.
 */
package org.pneumolab.synth;
