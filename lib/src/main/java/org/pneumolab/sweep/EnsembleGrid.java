package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ensemble levers, swept in front of the post-processing ones: which sources, flip TTA on or
 * off, and the fusion (WBF at each IoU, or NMS over the union). {@link #post} (threshold, NMS,
 * shrink, max boxes) is then swept on every ensemble's fused detections.
 *
 * @param sourceSets       the source combinations to try, e.g. [RetinaNet], [Faster R-CNN], [both]
 * @param flips            flip TTA settings to try (false, true or both)
 * @param wbfIous          WBF IoU thresholds to try (empty: no WBF)
 * @param nmsFusion        whether NMS over the union is tried
 * @param skipBoxThreshold boxes below this score do not enter WBF
 * @param post             the post-processing grid applied after fusion
 */
public record EnsembleGrid(List<List<String>> sourceSets, List<Boolean> flips, double[] wbfIous, boolean nmsFusion,
        double skipBoxThreshold, SweepGrid post) {
    /**
     * WBF IoUs around the paper's 0.55 (the RSNA write-ups used 0.4-0.6 for overlapping opacity
     * boxes).
     */
    public static final double[] STANDARD_WBF_IOUS = {0.4, 0.5, 0.55, 0.6, 0.7};
    /**
     * Boxes under the lowest score threshold the standard grid tries (0.02) do not enter WBF: a
     * fused score is at most its best box's, so such a box can only nudge a cluster, and the raw
     * detections hold hundreds of them per image (the detectors keep everything above 0.001).
     */
    public static final double STANDARD_SKIP_BOX_THRESHOLD = 0.02;

    public EnsembleGrid {
        sourceSets = sourceSets.stream().map(List::copyOf).toList();
        flips = List.copyOf(flips);
        wbfIous = wbfIous.clone();
        Arrays.sort(wbfIous);
        if (sourceSets.isEmpty() || flips.isEmpty()) {
            throw new IllegalArgumentException("an ensemble grid needs at least one source set and one flip setting");
        }
        if (wbfIous.length == 0 && !nmsFusion && (sourceSets.stream().anyMatch(s -> s.size() > 1) || flips.contains(true))) {
            throw new IllegalArgumentException("an ensemble grid with several views needs WBF IoUs or NMS fusion");
        }
        if (!(skipBoxThreshold >= 0 && skipBoxThreshold <= 1)) {
            throw new IllegalArgumentException("skip-box threshold must be in [0, 1]: " + skipBoxThreshold);
        }
        // A box under every score threshold swept could never be kept; one above some threshold
        // must not be skipped before fusion, or the grid's lowest thresholds would lie.
        if (skipBoxThreshold > post.scoreThresholds()[0]) {
            throw new IllegalArgumentException("skip-box threshold " + skipBoxThreshold + " is above the lowest score "
                    + "threshold swept (" + post.scoreThresholds()[0] + "): lower it to at most that");
        }
    }

    /**
     * Every source alone and all together, flip TTA off and on (when every source has mirrored
     * detections), WBF at {@link #STANDARD_WBF_IOUS} and NMS over the union, then {@code post};
     * boxes under {@link #STANDARD_SKIP_BOX_THRESHOLD} (or {@code post}'s lowest score threshold,
     * when lower) skip fusion.
     */
    public static EnsembleGrid standard(List<Source> sources, SweepGrid post) {
        double skip = Math.min(STANDARD_SKIP_BOX_THRESHOLD, post.scoreThresholds()[0]);
        List<List<String>> sets = new ArrayList<>();
        for (Source s : sources) {
            sets.add(List.of(s.name()));
        }
        if (sources.size() > 1) {
            sets.add(sources.stream().map(Source::name).toList());
        }
        boolean mirrored = sources.stream().allMatch(Source::hasMirrored);
        return new EnsembleGrid(sets, mirrored ? List.of(false, true) : List.of(false), STANDARD_WBF_IOUS, true,
                skip, post);
    }

    /** Every ensemble of the grid: source sets, then flip (off first), then NMS, then WBF by IoU. */
    public List<Ensemble> ensembles() {
        List<Ensemble> out = new ArrayList<>();
        for (List<String> set : sourceSets) {
            for (boolean flip : flips) {
                if (set.size() == 1 && !flip) {
                    out.add(Ensemble.single(set.get(0)));
                    continue;
                }
                if (nmsFusion) {
                    out.add(Ensemble.nms(set, flip));
                }
                for (double iou : wbfIous) {
                    out.add(Ensemble.wbf(set, flip, iou));
                }
            }
        }
        return out;
    }

    /** Grid points in all: ensembles times post-processing settings. */
    public int size() {
        return ensembles().size() * post.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnsembleGrid g && sourceSets.equals(g.sourceSets) && flips.equals(g.flips)
                && Arrays.equals(wbfIous, g.wbfIous) && nmsFusion == g.nmsFusion
                && skipBoxThreshold == g.skipBoxThreshold && post.equals(g.post);
    }

    @Override
    public int hashCode() {
        return sourceSets.hashCode() * 31 + flips.hashCode() * 17 + Arrays.hashCode(wbfIous) * 7 + post.hashCode();
    }

    @Override
    public String toString() {
        return "EnsembleGrid[sources " + sourceSets + ", flip " + flips + ", WBF IoU " + Arrays.toString(wbfIous)
                + (nmsFusion ? ", NMS over the union" : "") + ", skip boxes < " + skipBoxThreshold + ", then " + post + "]";
    }
}
