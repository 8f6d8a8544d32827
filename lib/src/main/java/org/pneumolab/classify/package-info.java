/**
 * Kermany case study: VGG16 / InceptionV3 transfer learning as in the published study.
 *
 * <ul>
 *   <li>{@link org.pneumolab.classify.Backbones}: bases without top, reporting their
 *       {@link org.pneumolab.classify.WeightsSource} (ImageNet or random, never pretended).</li>
 *   <li>{@link org.pneumolab.classify.Featurizer} + {@link org.pneumolab.classify.FeatureCache}: a frozen
 *       base runs once; bottleneck features are cached on disk and the head trains on them.</li>
 *   <li>{@link org.pneumolab.classify.TransferModel}: the published study's head, class-weighted loss
 *       ({@link org.pneumolab.classify.ClassWeights}), predictions, parameter counts.</li>
 *   <li>{@link org.pneumolab.classify.FeatureScaling} + {@link org.pneumolab.classify.FeatureStatistics}:
 *       optional train-split standardisation as a frozen first layer of the head (what lets a
 *       random-init base learn on the sample; the published study's head has none).</li>
 *   <li>{@link org.pneumolab.classify.FineTuner}: stage 2, one base layer unfrozen (the published study's
 *       block5_conv3).</li>
 *   <li>{@link org.pneumolab.classify.GradCam}: heatmaps for the PNEUMONIA logit.</li>
 *   <li>{@link org.pneumolab.classify.SavedClassifier}: a trained model as a run folder, read back from it
 *       alone (what {@code pneumo predict} applies to new images).</li>
 * </ul>
 */
package org.pneumolab.classify;
