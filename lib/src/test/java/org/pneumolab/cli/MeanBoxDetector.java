package org.pneumolab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.Detectors;
import org.pneumolab.detect.ImageDetections;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

/**
 * A test-only third detector, added the way any detector is: this one class (the model and its
 * {@link Detectors.Kind}) plus one {@code Detectors.register(MeanBoxDetector.KIND)}. It learns one
 * box, the running mean of the training boxes in model-input pixels (a step of size
 * {@code learningRate} towards each batch's mean), and predicts it on every image with score 0.9.
 * Its weights are a SameDiff variable, so the run store saves and restores it like the others.
 */
final class MeanBoxDetector implements Detector {
    static final Detectors.Kind KIND = new Detectors.Kind() {
        @Override
        public String model() {
            return "mean-box";
        }

        @Override
        public Detector create(String configJson) {
            SameDiff sd = SameDiff.create();
            sd.var("box", Nd4j.zeros(4));
            return new MeanBoxDetector(configJson, sd);
        }

        @Override
        public Detector restore(String configJson, SameDiff graph) {
            if (graph.getVariable("box") == null) {
                throw new IllegalArgumentException("a mean-box checkpoint has a variable 'box'");
            }
            return new MeanBoxDetector(configJson, graph);
        }
    };

    private final String configJson;
    private final SameDiff sd;
    private final double learningRate;

    private MeanBoxDetector(String configJson, SameDiff sd) {
        JsonObject o = new JsonParser().parse(configJson).getAsJsonObject();
        this.learningRate = o.get("learningRate").getAsDouble();
        this.configJson = o.toString();
        this.sd = sd;
    }

    static String config(int inputSize, double learningRate) {
        JsonObject o = new JsonObject();
        o.addProperty("model", "mean-box");
        o.addProperty("inputSize", inputSize);
        o.addProperty("inChannels", 1);
        o.addProperty("learningRate", learningRate);
        return o.toString();
    }

    private INDArray box() {
        return sd.getVariable("box").getArr();
    }

    @Override
    public String configJson() {
        return configJson;
    }

    @Override
    public String initNote() {
        return "zero box";
    }

    @Override
    public SameDiff graph() {
        return sd;
    }

    @Override
    public Map<String, Double> fitBatch(DetectionBatch batch, long stepSeed) {
        Map<String, Double> loss = losses(batch, stepSeed);
        double[] mean = mean(batch);
        if (mean != null) {
            INDArray b = box();
            for (int k = 0; k < 4; k++) {
                b.putScalar(k, b.getDouble(k) + learningRate * (mean[k] - b.getDouble(k)));
            }
        }
        return loss;
    }

    @Override
    public Map<String, Double> losses(DetectionBatch batch, long stepSeed) {
        double[] mean = mean(batch);
        double l1 = 0;
        if (mean != null) {
            for (int k = 0; k < 4; k++) {
                l1 += Math.abs(mean[k] - box().getDouble(k));
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", l1);
        return m;
    }

    /** The mean true box of the batch (x1, y1, x2, y2 in model-input pixels); null without one. */
    private static double[] mean(DetectionBatch batch) {
        double[] s = new double[4];
        int n = 0;
        for (List<Box> boxes : batch.boxes()) {
            for (Box b : boxes) {
                s[0] += b.x1();
                s[1] += b.y1();
                s[2] += b.x2();
                s[3] += b.y2();
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        for (int k = 0; k < 4; k++) {
            s[k] /= n;
        }
        return s;
    }

    @Override
    public List<ImageDetections> detect(DetectionBatch batch, PostProcess pp) {
        INDArray b = box();
        Box inTensor = new Box(b.getDouble(0), b.getDouble(1), Math.max(b.getDouble(2), b.getDouble(0) + 1),
                Math.max(b.getDouble(3), b.getDouble(1) + 1));
        List<ImageDetections> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(new ImageDetections(batch.ids().get(i), pp.apply(List.of(new Detection(batch.toOriginal(i, inTensor), 0.9)))));
        }
        return out;
    }
}
