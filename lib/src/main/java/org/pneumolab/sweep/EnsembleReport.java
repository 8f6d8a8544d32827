package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Bootstrap;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.DetectionEstimates;
import org.pneumolab.metrics.RsnaResult;
import org.pneumolab.metrics.Verdict;
import org.pneumolab.metrics.Verdicts;
import org.pneumolab.notebook.Html;
import org.pneumolab.notebook.RendersAsHtml;
import org.pneumolab.report.Format;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Choose on validation, report on held-out, with the ensemble levers: the whole grid
 * ({@link EnsembleSweep}) is swept on the validation split and its best point (ensemble and
 * settings) is scored once on the held-out split, beside each single model under its own settings
 * chosen on validation and the best single model under the case study's settings. Held-out rows
 * carry 95% bootstrap intervals over the same held-out images, and the chosen ensemble is compared
 * with the best single model and with the case study's settings by a paired bootstrap, each a
 * generated sentence.
 */
public final class EnsembleReport implements RendersAsHtml {
    /**
     * One row: an ensemble with post-processing settings, scored on both splits.
     *
     * @param heldOut the held-out metrics with 95% intervals
     */
    public record Row(String name, Ensemble ensemble, PostProcess settings, RsnaResult validation,
            DetectionEstimates heldOut) {
    }

    private final EnsembleSweep sweep;
    private final List<Row> rows;
    private final List<Map<String, List<Detection>>> heldOutDetections;
    private final DetectionBootstrap bootstrap;
    private final int bestSingleRow;
    private final int publishedRow;
    /** The best ensemble that fuses several views: 0 when it is the chosen one, -1 when the grid has none. */
    private final int fusedRow;

    private EnsembleReport(EnsembleSweep sweep, List<Row> rows, List<Map<String, List<Detection>>> heldOutDetections,
            DetectionBootstrap bootstrap, int bestSingleRow, int publishedRow, int fusedRow) {
        this.sweep = sweep;
        this.rows = List.copyOf(rows);
        this.heldOutDetections = List.copyOf(heldOutDetections);
        this.bootstrap = bootstrap;
        this.bestSingleRow = bestSingleRow;
        this.publishedRow = publishedRow;
        this.fusedRow = fusedRow;
    }

    /**
     * @param validation the sources on the validation split (the grid is swept here)
     * @param heldOut    the same sources on the held-out split (scored once, never chosen on)
     * @param seed       the held-out bootstrap's seed (1000 resamples, 95%)
     */
    public static EnsembleReport chooseOnValidation(List<Source> validation, List<Source> heldOut,
            Map<String, List<Box>> groundTruth, EnsembleGrid grid, long seed) {
        Map<String, Source> val = EnsembleSweep.byName(validation);
        Map<String, Source> held = EnsembleSweep.byName(heldOut);
        if (!val.keySet().equals(held.keySet())) {
            throw new IllegalArgumentException("validation sources " + val.keySet() + " but held-out sources "
                    + held.keySet());
        }
        SweepReport.checkDisjoint(validation.get(0).plain(), heldOut.get(0).plain());
        EnsembleSweep sweep = EnsembleSweep.run(validation, groundTruth, grid);

        // The rows: the chosen point, each single model at its own best, the best single model
        // under the case study's settings.
        List<String> names = new ArrayList<>();
        List<Ensemble> ensembles = new ArrayList<>();
        List<PostProcess> settings = new ArrayList<>();
        EnsembleSweep.Choice chosen = sweep.best();
        names.add("chosen on " + sweep.split() + ": " + chosen.ensemble().describe());
        ensembles.add(chosen.ensemble());
        settings.add(chosen.point().settings());
        EnsembleSweep.Choice bestSingle = sweep.bestSingle();
        int bestSingleRow = -1;
        for (EnsembleSweep.Choice single : sweep.singles()) {
            if (single.ensemble().equals(bestSingle.ensemble())) {
                bestSingleRow = names.size();
            }
            names.add(single.ensemble().describe() + " alone, chosen on " + sweep.split());
            ensembles.add(single.ensemble());
            settings.add(single.point().settings());
        }
        int publishedRow = names.size();
        names.add(bestSingle.ensemble().describe() + " alone, the case study's settings (0.2 / NMS 0.1 / shrink 0.875)");
        ensembles.add(bestSingle.ensemble());
        settings.add(SweepReport.PUBLISHED);
        // When a single model wins on validation, the best ensemble that does fuse still gets its
        // held-out row: the table then always answers "did fusion help?".
        int fusedRow = -1;
        var bestFused = sweep.bestFused();
        if (bestFused.isPresent()) {
            if (bestFused.get().ensemble().equals(chosen.ensemble())) {
                fusedRow = 0;
            } else {
                fusedRow = names.size();
                names.add("best fusing ensemble on " + sweep.split() + ": " + bestFused.get().ensemble().describe());
                ensembles.add(bestFused.get().ensemble());
                settings.add(bestFused.get().point().settings());
            }
        }

        // Every row is scored on the images all its views have; the held-out comparison is paired,
        // so it runs over the images every row has.
        Map<Ensemble, RawDetections> fusedVal = new HashMap<>();
        Map<Ensemble, RawDetections> fusedHeld = new HashMap<>();
        for (Ensemble e : ensembles) {
            fusedVal.computeIfAbsent(e, x -> x.fuse(val, grid.skipBoxThreshold()));
            fusedHeld.computeIfAbsent(e, x -> x.fuse(held, grid.skipBoxThreshold()));
        }
        Set<String> common = new LinkedHashSet<>(fusedHeld.get(ensembles.get(0)).detections().keySet());
        fusedHeld.values().forEach(r -> common.retainAll(r.detections().keySet()));
        Map<String, List<Box>> heldTruth = new LinkedHashMap<>();
        for (String id : common) {
            List<Box> gt = groundTruth.get(id);
            if (gt == null) {
                throw new IllegalArgumentException("held-out image " + id + " has no ground truth");
            }
            heldTruth.put(id, gt);
        }
        String heldSplit = heldOut.get(0).split();
        DetectionBootstrap boot = DetectionBootstrap.over(heldSplit, heldTruth, Bootstrap.seeded(seed));
        List<Row> rows = new ArrayList<>();
        List<Map<String, List<Detection>>> detections = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            RawDetections h = fusedHeld.get(ensembles.get(i));
            Map<String, List<Detection>> restricted = new LinkedHashMap<>();
            for (String id : common) {
                restricted.put(id, h.detections().get(id));
            }
            RawDetections onCommon = new RawDetections(heldSplit, restricted, h.skipped());
            Map<String, List<Detection>> post = SplitScorer.apply(onCommon, settings.get(i));
            detections.add(post);
            rows.add(new Row(names.get(i), ensembles.get(i), settings.get(i),
                    SplitScorer.evaluate(fusedVal.get(ensembles.get(i)), groundTruth, settings.get(i)), boot.estimate(post)));
        }
        return new EnsembleReport(sweep, rows, detections, boot, bestSingleRow, publishedRow, fusedRow);
    }

    public EnsembleSweep sweep() {
        return sweep;
    }

    public List<Row> rows() {
        return rows;
    }

    public Row chosen() {
        return rows.get(0);
    }

    public Row bestSingle() {
        return rows.get(bestSingleRow);
    }

    public Row published() {
        return rows.get(publishedRow);
    }

    /** The best ensemble that fuses several views (the chosen one when it fuses); empty when the grid has none. */
    public java.util.Optional<Row> bestFused() {
        return fusedRow < 0 ? java.util.Optional.empty() : java.util.Optional.of(rows.get(fusedRow));
    }

    /** The index of {@link #bestFused()} in {@link #rows()}, -1 when there is none. */
    public int bestFusedRow() {
        return fusedRow;
    }

    /** Post-processed held-out detections of row {@code i}, on the images every row has. */
    public Map<String, List<Detection>> heldOutDetections(int i) {
        return heldOutDetections.get(i);
    }

    /**
     * The chosen ensemble minus the best single model (its own settings chosen on validation) and
     * minus the case study's settings, on the held-out RSNA metric, paired over the same images;
     * when a single model was chosen, also the best fusing ensemble minus the best single model.
     */
    public List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>(List.of(compare(0, bestSingleRow), compare(0, publishedRow)));
        if (fusedRow > 0) {
            out.add(compare(fusedRow, bestSingleRow));
        }
        return out;
    }

    private Verdict compare(int a, int b) {
        String nameA = a == 0 ? "the chosen ensemble (" + chosen().ensemble().describe() + ")"
                : "the best fusing ensemble (" + rows.get(a).ensemble().describe() + ")";
        return bootstrap.compare(nameA, heldOutDetections.get(a), shortName(b), heldOutDetections.get(b))
                .get(DetectionBootstrap.RSNA);
    }

    private String shortName(int row) {
        Row r = rows.get(row);
        return r.ensemble().describe() + (row == publishedRow ? " with the case study's settings"
                : " with its own settings chosen on " + sweep.split());
    }

    /** One row per setting: what it is, the validation metric and the held-out metrics with intervals. */
    public Table intervals() {
        StringColumn name = StringColumn.create("ensemble and settings");
        StringColumn post = StringColumn.create("post-processing");
        StringColumn val = StringColumn.create("RSNA metric " + sweep.split());
        StringColumn split = StringColumn.create("split");
        IntColumn n = IntColumn.create("n images");
        Map<String, StringColumn> cols = new LinkedHashMap<>();
        for (String m : DetectionBootstrap.METRICS) {
            cols.put(m, StringColumn.create(m + " [95% CI]"));
        }
        for (Row r : rows) {
            name.append(r.name());
            post.append(settingsText(r.settings()));
            val.append(Format.rate(r.validation().score()) + " (n=" + r.validation().imagesScored() + ")");
            split.append(r.heldOut().split());
            n.append(r.heldOut().images());
            cols.forEach((m, c) -> c.append(r.heldOut().metric(m).toString()));
        }
        Table t = Table.create("Ensembles chosen on " + sweep.split() + ", reported on the " + bootstrap.split() + " split, "
                + bootstrap.method(false), name, post, val, split, n);
        cols.values().forEach(t::addColumns);
        return t;
    }

    public Table verdictTable() {
        return Verdicts.table("The chosen ensemble against the best single model and the case study's settings"
                + (fusedRow > 0 ? "; the best fusing ensemble against the best single model" : "") + ", paired",
                verdicts());
    }

    /** The verdicts, one sentence each. */
    public String sentences() {
        return Verdicts.sentences(verdicts());
    }

    /**
     * One line for the lessons report: what the chosen ensemble did on held-out, with its interval,
     * against the best single model (paired).
     */
    public String lesson() {
        Row c = chosen();
        List<Verdict> v = verdicts();
        String line = String.format(Locale.ROOT, "chosen on %s: %s (%s), held-out RSNA metric %s (%s, n=%d). %s",
                sweep.split(), c.ensemble().describe(), settingsText(c.settings()), c.heldOut().rsna(),
                c.heldOut().split(), c.heldOut().images(), capitalized(v.get(0).sentence()));
        if (fusedRow > 0) {
            Row f = rows.get(fusedRow);
            line += String.format(Locale.ROOT, " The best fusing ensemble (%s): held-out %s. %s", f.ensemble().describe(),
                    f.heldOut().rsna(), capitalized(v.get(2).sentence()));
        }
        return line;
    }

    private static String capitalized(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    static String settingsText(PostProcess p) {
        return "score >= " + SweepCharts.fmt(p.scoreThreshold()) + ", NMS " + SweepCharts.fmt(p.nmsIou()) + ", shrink "
                + SweepCharts.fmt(p.shrink()) + ", <= " + p.maxDetections() + " boxes";
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d ensembles x %d settings on %s; chosen: %s%n", sweep.entries().size(),
                sweep.grid().post().size(), sweep.split(), sweep.best().describe()));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-100s %s %s   %s %s%n", r.name() + " [" + settingsText(r.settings()) + "]",
                    r.validation().split(), Format.rate(r.validation().score()), r.heldOut().split(), r.heldOut().rsna()));
        }
        return b.toString().stripTrailing();
    }

    @Override
    public String toHtml() {
        return "<pre>" + Html.escape(toString()) + "</pre>";
    }
}
