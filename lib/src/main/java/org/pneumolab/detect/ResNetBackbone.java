package org.pneumolab.detect;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A ResNet feature extractor in SameDiff returning C3, C4, C5 (strides 8, 16, 32). Layer names
 * follow the DL4J zoo ResNet50 ({@code stem-cnn1}, {@code res3a_branch2b}, {@code bn3a_branch2b},
 * ...), which {@link PretrainedResNet50} relies on.
 */
final class ResNetBackbone {
    /** The three feature maps and their channel counts. */
    record Features(SDVariable c3, SDVariable c4, SDVariable c5, int ch3, int ch4, int ch5) {
    }

    private ResNetBackbone() {
    }

    static Features build(GraphBuilder g, SDVariable image, int inChannels, BackboneSpec spec) {
        SDVariable x;
        if (spec.bottleneck()) {
            // Keras's ResNet50 stem exactly: pad 3 then a VALID 7x7/2 convolution, pad 1 then a VALID
            // 3x3/2 max pool (SAME padding would pad 2 before and 3 after, shifting every ImageNet
            // filter by a pixel against the grid it was trained on)
            x = g.relu(g.convAffine("stem-cnn1", "stem-batch1", image, inChannels, spec.stemWidth(), 7, 2, 3, 1.0));
            x = g.maxPool3s2(x, 1);
        } else {
            // one 4x4 stride-4 "patchify" convolution straight to stride 4: on a 1-channel image
            // the former two strided 3x3 convolutions (and the input gradient of the first, which
            // SameDiff computes though the image needs none) cost a third of a sample step
            x = g.relu(g.conv("stem-patch", image, inChannels, spec.stemWidth(), 4, 4));
        }
        int in = spec.stemWidth();
        SDVariable[] outs = new SDVariable[4];
        for (int stage = 0; stage < 4; stage++) {
            int out = spec.widths().get(stage);
            for (int b = 0; b < spec.blocks().get(stage); b++) {
                String id = (stage + 2) + String.valueOf((char) ('a' + b));
                int stride = b == 0 && stage > 0 ? 2 : 1;
                x = spec.bottleneck() ? bottleneck(g, x, id, in, out, stride) : basic(g, x, id, in, out, stride);
                in = out;
            }
            outs[stage] = x;
        }
        return new Features(outs[1], outs[2], outs[3], spec.widths().get(1), spec.widths().get(2), spec.widths().get(3));
    }

    private static SDVariable shortcut(GraphBuilder g, SDVariable x, String id, int in, int out, int stride) {
        if (in == out && stride == 1) {
            return x;
        }
        return g.convAffine("res" + id + "_branch1", "bn" + id + "_branch1", x, in, out, 1, stride, -1, 1.0);
    }

    /**
     * Basic block of the small random-init backbones: convolutions with biases and no affine
     * (there are no pretrained batch-norm statistics to hold; the broadcast multiply and its
     * gradient cost a fifth of a sample step). The second convolution starts at a tenth of He
     * scale, so the block starts near identity, which keeps an un-normalised ResNet trainable.
     */
    private static SDVariable basic(GraphBuilder g, SDVariable x, String id, int in, int out, int stride) {
        SDVariable y = g.relu(g.conv("res" + id + "_branch2a", x, in, out, 3, stride));
        y = g.conv("res" + id + "_branch2b", y, out, out, 3, 1, 0.1, 0.0);
        SDVariable sc = in == out && stride == 1 ? x : g.conv("res" + id + "_branch1", x, in, out, 1, stride);
        return g.relu(y.add(sc));
    }

    private static SDVariable bottleneck(GraphBuilder g, SDVariable x, String id, int in, int out, int stride) {
        int mid = out / 4;
        // stride on the first 1x1 as in the zoo (Keras) ResNet50
        SDVariable y = g.relu(g.convAffine("res" + id + "_branch2a", "bn" + id + "_branch2a", x, in, mid, 1, stride, -1, 1.0));
        y = g.relu(g.convAffine("res" + id + "_branch2b", "bn" + id + "_branch2b", y, mid, mid, 3, 1, -1, 1.0));
        y = g.convAffine("res" + id + "_branch2c", "bn" + id + "_branch2c", y, mid, out, 1, 1, -1, 0.1);
        return g.relu(y.add(shortcut(g, x, id, in, out, stride)));
    }
}
