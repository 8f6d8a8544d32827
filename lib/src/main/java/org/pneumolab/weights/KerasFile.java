package org.pneumolab.weights;

import java.util.Arrays;
import java.util.List;

/**
 * The Keras application weight files the case studies used, with the checksums Keras's own
 * source publishes. Keras checks a download with {@code get_file(..., file_hash=H)}, whose
 * {@code hash_algorithm='auto'} means MD5 for a 32-hex-digit hash (SHA-256 for 64); every hash
 * here is 32 digits, so MD5. Sources (read 2026-12 through the code search):
 * <ul>
 *   <li>VGG16: keras-team/keras {@code keras/applications/vgg16.py} (WEIGHTS_PATH_NO_TOP on
 *       storage.googleapis.com, {@code file_hash="6d6bbae143d832006294945121d1f1fc"}), the same
 *       hash in keras-team/keras-applications {@code keras_applications/vgg16.py} with the older
 *       github.com/fchollet/deep-learning-models v0.1 URL.</li>
 *   <li>InceptionV3: keras-applications {@code keras_applications/inception_v3.py}
 *       ({@code file_hash='bcbd6486424b2319ff4ef7d526e38f63'}, deep-learning-models v0.5); Keras 2.4+
 *       downloads it from storage.googleapis.com/tensorflow/keras-applications/inception_v3/.</li>
 *   <li>ResNet50, Keras 2.2.4+ ({@code conv1_conv}, ...): keras-applications
 *       {@code keras_applications/resnet_common.py} WEIGHTS_HASHES['resnet50'][1]
 *       ({@code '4d473c1dd8becc155b73f8504c6f6626'}); keras-team/keras {@code resnet.py} keeps the
 *       same hash with BASE_WEIGHTS_PATH on storage.googleapis.com/tensorflow/keras-applications/resnet/.</li>
 *   <li>ResNet50, multi-backend Keras up to 2.3.1 ({@code conv1}, {@code bn_conv1}, ...):
 *       keras-applications {@code keras_applications/resnet50.py}
 *       ({@code md5_hash='a268eb855778b3df3c7506639542a6af'}, deep-learning-models v0.2).</li>
 * </ul>
 * Sizes are not in Keras's source; those given are the byte counts Keras's download progress
 * prints for the file (e.g. "58889256/58889256"), used only to name a truncated file early.
 */
public enum KerasFile {
    VGG16("vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc", 58_889_256L,
            "Keras 1 layout (datasets block1_conv1_W_1:0 in each layer group)",
            "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "https://github.com/fchollet/deep-learning-models/releases/download/v0.1/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    INCEPTION_V3("inception_v3", "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "bcbd6486424b2319ff4ef7d526e38f63", 87_910_968L, "Keras 2 layout (conv2d_1/conv2d_1/kernel:0)",
            "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "https://github.com/fchollet/deep-learning-models/releases/download/v0.5/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    RESNET50("resnet50", "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "4d473c1dd8becc155b73f8504c6f6626",
            94_765_736L, "Keras 2.2.4+ names (conv1_conv, conv2_block1_1_conv; BN epsilon 1.001e-5)",
            "https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "https://github.com/keras-team/keras-applications/releases/download/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    /** Same file name as {@link #RESNET50}, other content: what multi-backend Keras up to 2.3.1 downloaded. */
    RESNET50_LEGACY("resnet50", "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "a268eb855778b3df3c7506639542a6af",
            -1L, "multi-backend Keras <= 2.3.1 names (conv1, bn_conv1, res2a_branch2a; BN epsilon 1e-3)",
            "https://github.com/fchollet/deep-learning-models/releases/download/v0.2/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5");

    private final String base;
    private final String fileName;
    private final String md5;
    private final long size;
    private final String layout;
    private final List<String> urls;

    KerasFile(String base, String fileName, String md5, long size, String layout, String... urls) {
        this.base = base;
        this.fileName = fileName;
        this.md5 = md5;
        this.size = size;
        this.layout = layout;
        this.urls = List.of(urls);
    }

    /** "vgg16", "inception_v3" or "resnet50". */
    public String base() {
        return base;
    }

    public String fileName() {
        return fileName;
    }

    /** The MD5 Keras publishes ({@code file_hash}). */
    public String md5() {
        return md5;
    }

    /** Bytes, or -1 where no size is known. */
    public long size() {
        return size;
    }

    public String layout() {
        return layout;
    }

    /** Where Keras downloads it from, the current URL first. */
    public List<String> urls() {
        return urls;
    }

    /** The files that share {@code fileName} (two for ResNet50). */
    public static List<KerasFile> named(String fileName) {
        return Arrays.stream(values()).filter(f -> f.fileName.equals(fileName)).toList();
    }
}
