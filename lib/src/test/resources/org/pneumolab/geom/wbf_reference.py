"""An independent numpy reference for weighted box fusion (Solovyev et al. 2019), written in the
shape of the ensemble-boxes package's weighted_boxes_fusion (prefilter, sort by weighted score,
match against the fused boxes, score-weighted mean box, rescale), for BoxFusionReferenceTest.

The one deliberate difference from ensemble-boxes' conf_type='avg': the rescaling counts the weight
of the distinct sources in a cluster, min(W_found, W) / W, not min(T, N) / T with N the number of
boxes (see BoxFusion's comment). For one box per source and equal weights the two agree.

Usage: python3 wbf_reference.py CASES.json  (a list of {sources, weights, iou, skip}); prints a list
of fused [x1, y1, x2, y2, score] lists, best first.
"""
import json
import sys

import numpy as np


def prefilter(sources, weights, skip):
    rows = []
    for t, boxes in enumerate(sources):
        for b in boxes:
            if b[4] < skip:
                continue
            rows.append([b[4] * weights[t], weights[t], t, b[0], b[1], b[2], b[3]])
    rows = np.array(rows, dtype=np.float64).reshape(-1, 7)
    # highest weighted score first; equal ones keep source order, then box order
    return rows[np.argsort(-rows[:, 0], kind="stable")]


def ious(fused, box):
    w = np.minimum(fused[:, 2], box[2]) - np.maximum(fused[:, 0], box[0])
    h = np.minimum(fused[:, 3], box[3]) - np.maximum(fused[:, 1], box[1])
    inter = np.where((w > 0) & (h > 0), w * h, 0.0)
    union = (fused[:, 2] - fused[:, 0]) * (fused[:, 3] - fused[:, 1]) + (box[2] - box[0]) * (box[3] - box[1]) - inter
    out = np.zeros(len(fused))
    ok = (inter > 0) & (union > 0)
    out[ok] = inter[ok] / union[ok]
    return out


def weighted_box(cluster):
    ws = cluster[:, 0]
    if ws.sum() > 0:
        return (cluster[:, 3:7] * ws[:, None]).sum(axis=0) / ws.sum()
    return cluster[:, 3:7].mean(axis=0)


def wbf(sources, weights, iou_thr, skip):
    weights = np.asarray(weights, dtype=np.float64)
    rows = prefilter(sources, weights, skip)
    clusters = []
    fused = np.zeros((0, 4))
    for r in rows:
        if len(fused):
            v = ious(fused, r[3:7])
            k = int(np.argmax(v))  # the first of equal IoUs: the older cluster
            if v[k] > iou_thr:
                clusters[k].append(r)
                fused[k] = weighted_box(np.array(clusters[k]))
                continue
        clusters.append([r])
        fused = np.vstack([fused, r[3:7]])
    out = []
    total = weights.sum()
    for k, c in enumerate(clusters):
        c = np.array(c)
        found = weights[np.unique(c[:, 2].astype(int))].sum()
        score = c[:, 0].sum() / c[:, 1].sum() * min(found, total) / total
        out.append([*fused[k].tolist(), float(score)])
    order = np.argsort(-np.array([o[4] for o in out]), kind="stable") if out else []
    return [out[i] for i in order]


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    print(json.dumps([wbf(c["sources"], c["weights"], c["iou"], c["skip"]) for c in cases]))


if __name__ == "__main__":
    main()
