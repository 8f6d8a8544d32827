package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.pneumolab.geom.Box;
import org.pneumolab.notebook.ProgressBar;
import org.pneumolab.report.Format;
import org.pneumolab.viz.Heatmap;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The post-processing sweep with the ensemble levers in front: every {@link Ensemble} of an
 * {@link EnsembleGrid} fuses the sources' raw detections of one split once, and the
 * post-processing grid is swept on the result with {@link Sweep} (its per-image tables make a
 * whole post-processing grid cost about as much as scoring a handful of settings directly).
 *
 * @param split   the split swept (choose on validation)
 * @param grid    the grid
 * @param entries one per ensemble, in grid order
 */
public record EnsembleSweep(String split, EnsembleGrid grid, List<Entry> entries) {
    /** One ensemble and the post-processing sweep of its fused detections. */
    public record Entry(Ensemble ensemble, SweepResult sweep) {
    }

    /** A point of the whole grid: an ensemble and post-processing settings, with the metric. */
    public record Choice(Ensemble ensemble, SweepPoint point) {
        /** E.g. "RetinaNet + Faster R-CNN, flip TTA, WBF IoU 0.55; score >= 0.2, NMS IoU 0.1, ...". */
        public String describe() {
            return ensemble.describe() + "; " + point;
        }
    }

    public EnsembleSweep {
        entries = List.copyOf(entries);
    }

    /**
     * Sweeps {@code grid} on {@code sources} (one split, every image labelled in {@code groundTruth}).
     * Ensembles run one after the other, each fusing and sweeping its images in parallel, so the
     * numbers do not depend on the thread count.
     */
    public static EnsembleSweep run(List<Source> sources, Map<String, List<Box>> groundTruth, EnsembleGrid grid) {
        Map<String, Source> byName = byName(sources);
        List<Ensemble> ensembles = grid.ensembles();
        List<Entry> entries = new ArrayList<>(ensembles.size());
        String split = sources.get(0).split();
        try (ProgressBar bar = ProgressBar.start("ensemble sweep, " + split + " split: " + ensembles.size()
                + " ensembles x " + grid.post().size() + " settings", ensembles.size())) {
            for (Ensemble e : ensembles) {
                RawDetections fused = e.fuse(byName, grid.skipBoxThreshold());
                entries.add(new Entry(e, Sweep.run(fused, groundTruth, grid.post(), false)));
                bar.step();
            }
        }
        return new EnsembleSweep(split, grid, entries);
    }

    static Map<String, Source> byName(List<Source> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an ensemble sweep needs at least one source");
        }
        Map<String, Source> byName = new LinkedHashMap<>();
        for (Source s : sources) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("two sources are named " + s.name());
            }
            if (!s.split().equals(sources.get(0).split())) {
                throw new IllegalArgumentException("sources of different splits: " + sources.get(0).split() + " and "
                        + s.split() + " (" + s.name() + ")");
            }
        }
        return byName;
    }

    /**
     * The best point of the whole grid. Ties go to the earliest ensemble in grid order (single
     * models first, then without flip, NMS before WBF, lower IoU first) and within it to
     * {@link SweepResult#best()}'s choice: the simpler option wins a tie.
     */
    public Choice best() {
        return bestOf(entries);
    }

    /** The best single model (no fusion, no flip) under its own best settings, ties as in {@link #best()}. */
    public Choice bestSingle() {
        return bestOf(entries.stream().filter(e -> e.ensemble().isSingleModel()).toList());
    }

    /**
     * The best ensemble that merges several views (sources or flip TTA), ties as in {@link #best()};
     * empty when the grid has none (one source without mirrored detections).
     */
    public java.util.Optional<Choice> bestFused() {
        List<Entry> fused = entries.stream().filter(e -> !e.ensemble().isSingleModel()).toList();
        return fused.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(bestOf(fused));
    }

    /** Each single model under its own best settings, in grid order. */
    public List<Choice> singles() {
        return entries.stream().filter(e -> e.ensemble().isSingleModel())
                .map(e -> new Choice(e.ensemble(), e.sweep().best())).toList();
    }

    public Entry entry(Ensemble e) {
        return entries.stream().filter(x -> x.ensemble().equals(e)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the grid has no ensemble " + e));
    }

    private Choice bestOf(List<Entry> list) {
        Choice best = null;
        for (Entry e : list) {
            SweepPoint p;
            try {
                p = e.sweep().best();
            } catch (IllegalStateException noScore) {
                continue;
            }
            if (best == null || p.score() > best.point().score()) {
                best = new Choice(e.ensemble(), p);
            }
        }
        if (best == null) {
            throw new IllegalStateException("split " + split + ": no ensemble has a scored grid point");
        }
        return best;
    }

    /**
     * The metric over WBF IoU (rows) x score threshold (columns) for one source set and flip
     * setting, each cell the best over the other levers (NMS, shrink, max boxes).
     */
    public double[][] wbfIouByThreshold(List<String> sourceSet, boolean flip) {
        double[] ious = grid.wbfIous();
        double[] t = grid.post().scoreThresholds();
        double[][] out = new double[ious.length][t.length];
        for (double[] row : out) {
            Arrays.fill(row, Double.NaN);
        }
        for (int i = 0; i < ious.length; i++) {
            SweepResult r = entry(Ensemble.wbf(sourceSet, flip, ious[i])).sweep();
            for (SweepPoint p : r.points()) {
                int ti = Arrays.binarySearch(t, p.scoreThreshold());
                if (!Double.isNaN(p.score()) && (Double.isNaN(out[i][ti]) || p.score() > out[i][ti])) {
                    out[i][ti] = p.score();
                }
            }
        }
        return out;
    }

    /**
     * {@link #wbfIouByThreshold} as a heatmap, the best cell outlined. For the largest ensemble the
     * grid has (all sources, with flip when swept) unless another is named.
     */
    public Heatmap fusionHeatmap(List<String> sourceSet, boolean flip) {
        double[][] v = wbfIouByThreshold(sourceSet, flip);
        double[] ious = grid.wbfIous();
        double[] t = grid.post().scoreThresholds();
        int bi = 0, bt = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[i].length; j++) {
                if (!Double.isNaN(v[i][j]) && (Double.isNaN(v[bi][bt]) || v[i][j] > v[bi][bt])) {
                    bi = i;
                    bt = j;
                }
            }
        }
        List<String> x = Arrays.stream(t).mapToObj(SweepCharts::fmt).toList();
        List<String> y = Arrays.stream(ious).mapToObj(SweepCharts::fmt).toList();
        String title = String.format(Locale.ROOT, "RSNA metric, %s: WBF IoU x threshold, %s%s", split,
                String.join(" + ", sourceSet), flip ? ", flip TTA" : "");
        return new Heatmap(title, "score threshold (each cell at its best NMS, shrink and max boxes)", x, "WBF IoU", y, v)
                .mark("outlined: best cell", new int[] {bi, bt});
    }

    /** The largest source set of the grid and whether it is swept with flip TTA (for the heatmap). */
    public List<String> largestSourceSet() {
        return grid.sourceSets().stream().max((a, b) -> Integer.compare(a.size(), b.size())).orElseThrow();
    }

    /** One row per ensemble: its best settings on this split and the metric there. */
    public Table table() {
        StringColumn name = StringColumn.create("ensemble");
        IntColumn images = IntColumn.create("n images");
        DoubleColumn t = DoubleColumn.create("score_threshold");
        DoubleColumn n = DoubleColumn.create("nms_iou");
        DoubleColumn s = DoubleColumn.create("shrink");
        IntColumn m = IntColumn.create("max_boxes");
        DoubleColumn metric = DoubleColumn.create("best rsna_metric_" + split);
        for (Entry e : entries) {
            name.append(e.ensemble().describe());
            images.append(e.sweep().images());
            SweepPoint p = e.sweep().best();
            t.append(p.scoreThreshold());
            n.append(p.nmsIou());
            s.append(p.shrink());
            m.append(p.maxBoxes());
            metric.append(p.score());
        }
        Table out = Table.create("Ensemble sweep on the " + split + " split: each ensemble at its best post-processing ("
                + grid.post().size() + " settings each)", name, images, t, n, s, m, metric);
        return Format.readable(out);
    }
}
