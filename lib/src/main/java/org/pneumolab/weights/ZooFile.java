package org.pneumolab.weights;

import java.nio.file.Path;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * DL4J's zoo, the second source of VGG16 and ResNet50 (InceptionV3 has no zoo weights in M2.1):
 * a zip of a DL4J model converted from Keras's file, with the Adler-32 checksum the zoo checks
 * itself. Its blob store has failed users before (deeplearning4j issues 8728, 10043).
 */
public enum ZooFile {
    VGG16_IMAGENET("vgg16", VGG16.builder().build()),
    RESNET50_IMAGENET("resnet50", ResNet50.builder().build());

    private final String base;
    private final ZooModel<?> model;

    ZooFile(String base, ZooModel<?> model) {
        this.base = base;
        this.model = model;
    }

    public String base() {
        return base;
    }

    public String url() {
        return model.pretrainedUrl(PretrainedType.IMAGENET);
    }

    public long adler32() {
        return model.pretrainedChecksum(PretrainedType.IMAGENET);
    }

    /** Where the zoo keeps (and looks for) the file: ~/.deeplearning4j/models/NAME/FILE. */
    public Path localFile() {
        String name = url().substring(url().lastIndexOf('/') + 1);
        return DL4JResources.getDirectory(ResourceType.ZOO_MODEL, model.modelName()).toPath().resolve(name);
    }
}
