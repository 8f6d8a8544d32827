package org.pneumolab.bench.diag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pneumolab.data.ImageDecoders;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.data.RsnaDataset;
import org.pneumolab.data.TensorCache;
import org.pneumolab.detect.BackboneSpec;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.IouMatrix;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.detect.RunStore;
import org.pneumolab.detect.study.DetectionData;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/** Ad-hoc (a main): why RetinaNet under-detects on the sample. Args: dir anchorScale lr epochs size. */
public final class RetinaDiag {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        double scale = Double.parseDouble(a[1]);
        double lr = Double.parseDouble(a[2]);
        int epochs = Integer.parseInt(a[3]);
        int size = Integer.parseInt(a[4]);
        int fpn = a.length > 5 ? Integer.parseInt(a[5]) : 32;
        if (!Files.exists(dir.resolve("sample/rsna"))) {
            SampleGenerator.generate(SampleSpec.defaults().withKermany(0), dir.resolve("sample"));
        }
        ProblemLog log = ProblemLog.toStderr();
        RsnaDataset ds = RsnaDataset.load(dir.resolve("sample/rsna"), log);
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 2018);
        spec = spec.with(s -> s.inputSize(size).epochs(epochs));
        DetectionData data = DetectionData.prepare(ds, spec, new ImagePipeline(DetectionData.pipelineSpec(size),
                ImageDecoders.standard(), new TensorCache(dir.resolve("cache"), log)), log);
        System.out.println(data.summary());
        RetinaNetConfig c = spec.retinaNet().with(r -> r.fpnChannels(fpn).anchorScale(scale).learningRate(lr));
        double[] anchors = c.anchors().anchors(size);
        int n = anchors.length / 4;
        List<Double> best = new ArrayList<>();
        List<Integer> above = new ArrayList<>();
        List<Double> ws = new ArrayList<>(), hs = new ArrayList<>();
        for (DetectionSample s : data.part(StudySpec.TRAIN)) {
            var geometry = data.pipeline().prepare(s.image()).geometry();
            List<Box> gt = s.boxes().stream().map(geometry::toTarget).toList();
            double[][] iou = IouMatrix.of(gt, anchors);
            for (int g = 0; g < gt.size(); g++) {
                ws.add(gt.get(g).width());
                hs.add(gt.get(g).height());
                double m = 0;
                int k = 0;
                for (int i = 0; i < n; i++) {
                    m = Math.max(m, iou[g][i]);
                    if (iou[g][i] >= 0.5) {
                        k++;
                    }
                }
                best.add(m);
                above.add(k);
            }
        }
        System.out.printf("anchors %d; gt %d; w %s h %s%n best IoU %s%n anchors>=0.5 %s%n", n, best.size(), pct(ws), pct(hs),
                pct(best), pct(above.stream().map(Integer::doubleValue).toList()));
        RetinaNet net = RetinaNet.create(c);
        RunStore store = new RunStore(dir.resolve("runs"));
        String run = "diag-" + scale + "-" + lr + "-" + epochs + "-" + size + "-" + fpn;
        var res = DetectorTrainer.train(store, run, net, sd -> RetinaNet.restore(c, sd), data.trainingInput(StudySpec.TRAIN, spec),
                new DetectorTrainer.Settings(epochs, 8, 2018), null);
        System.out.println("train_loss " + Arrays.toString(res.history().series("train_loss")));
        System.out.println("cls " + Arrays.toString(res.history().series("train_cls_loss")));
        System.out.printf("s/epoch %.2f%n", DetectorTrainer.meanEpochSeconds(res.history()));
        for (String part : List.of(StudySpec.VAL, StudySpec.HELD_OUT)) {
            List<DetectionSample> ims = data.part(part);
            var raw = res.detector().detectAll(data.batches(ims), PostProcess.raw(50));
            List<Double> posMax = new ArrayList<>(), negMax = new ArrayList<>(), hitScore = new ArrayList<>();
            for (int i = 0; i < ims.size(); i++) {
                List<Detection> d = raw.images().get(i).detections();
                double mx = d.stream().mapToDouble(Detection::score).max().orElse(0);
                (ims.get(i).boxes().isEmpty() ? negMax : posMax).add(mx);
                for (Box g : ims.get(i).boxes()) {
                    hitScore.add(d.stream().filter(x -> x.box().iou(g) >= 0.5).mapToDouble(Detection::score).max().orElse(0));
                }
            }
            System.out.printf("%s: max score pos imgs %s%n   neg imgs %s%n   best score of IoU>=.5 box per GT %s%n", part,
                    pct(posMax), pct(negMax), pct(hitScore));
            for (double t : new double[] {0.05, 0.1, 0.15, 0.2, 0.3, 0.4}) {
                for (double nms : new double[] {0.1, 0.3}) {
                    PostProcess pp = new PostProcess(t, nms, 4, 0.875);
                    Map<String, List<Detection>> preds = new LinkedHashMap<>();
                    res.detector().detectAll(data.batches(ims), pp).images().forEach(x -> preds.put(x.imageId(), x.detections()));
                    var r = RsnaMetric.evaluate(part, data.groundTruth(part), preds, data.classes(part));
                    System.out.printf("  %s t=%.2f nms=%.1f rsna %.4f ap50 %.4f%n", part, t, nms, r.score(), r.ap50());
                }
            }
        }
    }

    static String pct(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return "[]";
        }
        return String.format("min %.3f p10 %.3f p50 %.3f p90 %.3f max %.3f", s[0], s[s.length / 10], s[s.length / 2],
                s[s.length * 9 / 10], s[s.length - 1]);
    }
}
