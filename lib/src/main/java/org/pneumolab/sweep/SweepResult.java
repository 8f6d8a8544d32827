package org.pneumolab.sweep;

import java.util.List;
import java.util.Optional;

import org.pneumolab.detect.PostProcess;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The RSNA metric at every point of a sweep grid on one split.
 *
 * @param split  the split scored (choose settings on a validation split, never on the held-out one)
 * @param images images scored
 * @param grid   the grid swept
 * @param points one per grid point, in grid order (threshold, then NMS, shrink, max boxes)
 */
public record SweepResult(String split, int images, SweepGrid grid, List<SweepPoint> points) {
    public SweepResult {
        points = List.copyOf(points);
        if (points.size() != grid.size()) {
            throw new IllegalArgumentException(points.size() + " points for a grid of " + grid.size());
        }
    }

    /**
     * The best point. Ties go to the earliest in grid order, i.e. the lowest threshold, then the
     * strictest NMS, the strongest shrink and the fewest boxes, so the choice is reproducible.
     */
    public SweepPoint best() {
        SweepPoint best = null;
        for (SweepPoint p : points) {
            if (!Double.isNaN(p.score()) && (best == null || p.score() > best.score())) {
                best = p;
            }
        }
        if (best == null) {
            throw new IllegalStateException("split " + split + ": no grid point has a score (no image was scored)");
        }
        return best;
    }

    /** The point with exactly these settings, if the grid has it. */
    public Optional<SweepPoint> at(PostProcess settings) {
        return points.stream().filter(p -> p.settings().equals(settings)).findFirst();
    }

    /** The points that vary {@code lever} with every other setting at the best point's value. */
    public List<SweepPoint> along(Lever lever) {
        PostProcess b = best().settings();
        return points.stream().filter(p -> sameExcept(p.settings(), b, lever)).toList();
    }

    /** Scores as {@code [nms][threshold]} with shrink and maximum boxes fixed. */
    public double[][] thresholdByNms(double shrink, int maxBoxes) {
        double[] t = grid.scoreThresholds();
        double[] n = grid.nmsIous();
        double[][] out = new double[n.length][t.length];
        for (SweepPoint p : points) {
            if (p.shrink() == shrink && p.maxBoxes() == maxBoxes) {
                out[java.util.Arrays.binarySearch(n, p.nmsIou())][java.util.Arrays.binarySearch(t, p.scoreThreshold())] =
                        p.score();
            }
        }
        return out;
    }

    private static boolean sameExcept(PostProcess a, PostProcess b, Lever lever) {
        for (Lever l : Lever.values()) {
            if (l != lever && l.valueOf(a) != l.valueOf(b)) {
                return false;
            }
        }
        return true;
    }

    /** One row per grid point: the four settings and the metric, the metric column naming the split. */
    public Table table() {
        Table t = Table.create("post-processing sweep, " + split + " split (" + images + " images)");
        t.addColumns(
                DoubleColumn.create("score_threshold", points.stream().mapToDouble(SweepPoint::scoreThreshold)),
                DoubleColumn.create("nms_iou", points.stream().mapToDouble(SweepPoint::nmsIou)),
                DoubleColumn.create("shrink", points.stream().mapToDouble(SweepPoint::shrink)),
                IntColumn.create("max_boxes", points.stream().mapToInt(SweepPoint::maxBoxes).toArray()),
                DoubleColumn.create(metricColumn(), points.stream().mapToDouble(SweepPoint::score)));
        return t;
    }

    /** The name of the metric column, e.g. {@code rsna_metric_val}. */
    public String metricColumn() {
        return "rsna_metric_" + split;
    }
}
