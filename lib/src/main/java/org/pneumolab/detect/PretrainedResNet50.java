package org.pneumolab.detect;

import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Copies ImageNet weights from the DL4J zoo ResNet50 into a SameDiff backbone built with
 * {@link BackboneSpec#RESNET50}, by layer name: convolutions {@code [out,in,kh,kw] -> [kh,kw,in,out]},
 * batch norms folded into the frozen affine ({@code scale = gamma / sqrt(var + eps)},
 * {@code shift = beta - mean * scale}). The zoo downloads its weights on first use; offline that
 * fails and the caller keeps the random initialisation (and says so).
 */
public final class PretrainedResNet50 {
    private PretrainedResNet50() {
    }

    /** @return a sentence for the run log: what was copied, or why nothing was */
    public static String tryCopyInto(SameDiff sd, int inChannels) {
        ComputationGraph zoo;
        try {
            zoo = (ComputationGraph) ResNet50.builder().build().initPretrained(PretrainedType.IMAGENET);
        } catch (Exception | Error e) {
            return "ImageNet ResNet50 weights unavailable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); backbone randomly initialised";
        }
        return copy(zoo, sd, inChannels);
    }

    /** Copies every zoo layer whose name matches a backbone layer; returns a summary. */
    public static String copy(ComputationGraph zoo, SameDiff sd, int inChannels) {
        int copied = 0;
        for (var layer : zoo.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, INDArray> p = layer.paramTable();
            if (sd.hasVariable(name + "_W") && p.containsKey("W")) {
                INDArray w = p.get("W").permute(2, 3, 1, 0);
                if (name.equals("stem-cnn1") && inChannels != w.size(2)) {
                    // grey X-rays: sum the RGB filters, the usual way to reuse colour weights
                    w = w.sum(true, 2).repeat(2, inChannels).div(inChannels);
                }
                sd.getVariable(name + "_W").getArr().assign(w);
                if (p.containsKey("b")) {
                    sd.getVariable(name + "_b").getArr().assign(p.get("b").reshape(-1));
                }
                copied++;
            } else if (sd.hasVariable(name + "_scale") && layer.conf().getLayer() instanceof BatchNormalization bn) {
                INDArray gamma = p.get("gamma").reshape(-1);
                INDArray scale = gamma.div(Transforms.sqrt(p.get("var").reshape(-1).add(bn.getEps())));
                INDArray shift = p.get("beta").reshape(-1).sub(p.get("mean").reshape(-1).mul(scale));
                sd.getVariable(name + "_scale").getArr().assign(scale.reshape(1, -1, 1, 1));
                sd.getVariable(name + "_shift").getArr().assign(shift.reshape(1, -1, 1, 1));
                copied++;
            }
        }
        Nd4j.getExecutioner().commit();
        return "copied " + copied + " layers from the ImageNet ResNet50 (DL4J zoo)";
    }
}
