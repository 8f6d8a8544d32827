/**
 * Diagnostic programs (each a {@code main}), not benchmarks with a peer and not tests: a per-op
 * profiler for SameDiff graphs ({@link org.pneumolab.bench.diag.OpTimer}) and the step timer that
 * uses it, per-op profiles of the detectors' folded ResNet50 forward
 * ({@link org.pneumolab.bench.diag.BackboneProfile}) and of the shipped fine-tuning step
 * ({@link org.pneumolab.bench.diag.FineTuneProfile}), the metric's per-image core timed as a sweep uses it, notebook 04's study from the
 * command line, and a RetinaNet under-detection probe. Run after a build with
 * {@code java -cp "bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" org.pneumolab.bench.diag.NAME [args]}.
 */
package org.pneumolab.bench.diag;
