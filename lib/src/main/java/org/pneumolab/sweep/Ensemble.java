package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.pneumolab.geom.BoxFusion;
import org.pneumolab.geom.Detection;
import org.pneumolab.report.Format;

/**
 * Which detections the post-processing levers start from: one or more sources, each on the plain
 * images and (flip TTA) on the mirrored ones, merged by {@link Fusion}. With one source and no flip
 * there is nothing to merge ({@link Fusion#NONE}): the single model as before.
 *
 * @param sources   source names, in the order they are fused (it only breaks exact ties)
 * @param flip      whether each source's detections of the mirrored images join
 * @param fusion    how the views are merged
 * @param fusionIou WBF's IoU threshold; NaN for {@link Fusion#NMS} and {@link Fusion#NONE}
 */
public record Ensemble(List<String> sources, boolean flip, Fusion fusion, double fusionIou) {
    /** How several views of an image become one list of boxes. */
    public enum Fusion {
        /** One view: its raw boxes as they are. */
        NONE,
        /**
         * Weighted box fusion ({@link BoxFusion#weighted}), every view weighted 1, at
         * {@link Ensemble#fusionIou}.
         */
        WBF,
        /**
         * NMS over the union ({@link BoxFusion#nmsOverUnion}) at the sweep's own NMS IoU: the union
         * is handed to the levers, whose NMS then suppresses across the views. A separate fusion
         * IoU would only run NMS twice (NMS at one IoU then at a stricter one), so the NMS lever is
         * this fusion's IoU. Boxes under the skip-box threshold are left out of the union: the
         * levers drop them before NMS anyway when the threshold is at most the lowest score
         * threshold swept ({@link EnsembleGrid} checks), so this changes no result and keeps the
         * union of four views of a few hundred raw boxes each small.
         */
        NMS
    }

    public Ensemble {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one source");
        }
        if (new HashSet<>(sources).size() != sources.size()) {
            throw new IllegalArgumentException("an ensemble lists a source twice: " + sources);
        }
        int views = sources.size() * (flip ? 2 : 1);
        if ((fusion == Fusion.NONE) != (views == 1)) {
            throw new IllegalArgumentException(views == 1 ? "one view needs no fusion (Fusion.NONE)"
                    : views + " views need a fusion (WBF or NMS), not NONE");
        }
        if (fusion == Fusion.WBF) {
            if (!(fusionIou >= 0 && fusionIou <= 1)) {
                throw new IllegalArgumentException("WBF IoU threshold must be in [0, 1]: " + fusionIou);
            }
        } else if (!Double.isNaN(fusionIou)) {
            throw new IllegalArgumentException(fusion + " takes no fusion IoU (NaN), got " + fusionIou);
        }
    }

    /** One model alone, as before this lever existed. */
    public static Ensemble single(String source) {
        return new Ensemble(List.of(source), false, Fusion.NONE, Double.NaN);
    }

    public static Ensemble wbf(List<String> sources, boolean flip, double iou) {
        return new Ensemble(sources, flip, Fusion.WBF, iou);
    }

    public static Ensemble nms(List<String> sources, boolean flip) {
        return new Ensemble(sources, flip, Fusion.NMS, Double.NaN);
    }

    public boolean isSingleModel() {
        return fusion == Fusion.NONE;
    }

    /** E.g. "RetinaNet + Faster R-CNN, flip TTA, WBF IoU 0.55" or "RetinaNet". */
    public String describe() {
        StringBuilder b = new StringBuilder(String.join(" + ", sources));
        if (flip) {
            b.append(", flip TTA");
        }
        switch (fusion) {
            case WBF -> b.append(", WBF IoU ").append(Format.rate(fusionIou).replaceAll("0+$", "").replaceAll("\\.$", ".0"));
            case NMS -> b.append(", NMS over the union");
            case NONE -> { }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * The fused detections of every image all views have (images a detector skipped on one view are
     * listed in {@code skipped}). Images in parallel; each image's result depends on its own boxes only.
     *
     * @param skipBoxThreshold WBF and NMS fusion ignore boxes scoring below this
     */
    public RawDetections fuse(Map<String, Source> byName, double skipBoxThreshold) {
        List<RawDetections> views = new ArrayList<>();
        String split = null;
        for (String s : sources) {
            Source src = byName.get(s);
            if (src == null) {
                throw new IllegalArgumentException("ensemble " + describe() + ": no source named " + s + " among "
                        + byName.keySet());
            }
            if (split != null && !split.equals(src.split())) {
                throw new IllegalArgumentException("ensemble " + describe() + " mixes splits " + split + " and "
                        + src.split());
            }
            split = src.split();
            views.addAll(src.views(flip));
        }
        if (views.size() == 1) {
            return views.get(0);
        }
        List<String> ids = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RawDetections v : views) {
            for (String id : v.detections().keySet()) {
                if (seen.add(id)) {
                    if (views.stream().allMatch(o -> o.detections().containsKey(id))) {
                        ids.add(id);
                    } else {
                        skipped.add(id + ": not detected on every view of " + describe());
                    }
                }
            }
            skipped.addAll(v.skipped());
        }
        @SuppressWarnings("unchecked")
        List<Detection>[] fused = new List[ids.size()];
        IntStream.range(0, ids.size()).parallel().forEach(i -> {
            List<List<Detection>> perView = new ArrayList<>(views.size());
            for (RawDetections v : views) {
                perView.add(v.detections().get(ids.get(i)));
            }
            fused[i] = fusion == Fusion.WBF ? BoxFusion.weighted(perView, fusionIou, skipBoxThreshold)
                    : BoxFusion.union(perView).stream().filter(d -> d.score() >= skipBoxThreshold).toList();
        });
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            out.put(ids.get(i), fused[i]);
        }
        return new RawDetections(split, out, skipped.stream().distinct().toList());
    }
}
