package org.pneumolab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;
import org.pneumolab.image.Augment;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Augmented;
import org.pneumolab.image.GrayImage;
import org.pneumolab.image.Resize;

/**
 * File to network input: decode (JPEG or DICOM) to grey, resize into the canvas (stretched or
 * padded to keep the aspect ratio), optionally augment (boxes follow), then normalise, replicate
 * to 3 channels and stack into an NCHW (or NHWC) batch. The decode-and-resize step is what the
 * optional {@link TensorCache} stores; everything after it is cheap and done per epoch.
 */
public final class ImagePipeline {
    private final PipelineSpec spec;
    private final ImageDecoder decoder;
    private final TensorCache cache;
    private final AtomicLong decodes = new AtomicLong();

    /**
     * @param cache may be null: every call then decodes
     */
    public ImagePipeline(PipelineSpec spec, ImageDecoder decoder, TensorCache cache) {
        this.spec = spec;
        this.decoder = decoder;
        this.cache = cache;
    }

    /** The standard decoders and the cache under the configured cache root. */
    public static ImagePipeline standard(PipelineSpec spec, DataConfig config, ProblemLog log) {
        return new ImagePipeline(spec, ImageDecoders.standard(), TensorCache.in(config, log));
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** How many files this pipeline has decoded (cache hits do not count). */
    public long decodes() {
        return decodes.get();
    }

    /** The resized image and its geometry, from the cache when there. */
    public PreparedImage prepare(Path file) throws IOException {
        if (cache == null) {
            return decodeAndResize(file);
        }
        return cache.getOrBuild(TensorCache.keyFor(file, spec.resizeKey() + decoder.cacheTag(file)),
                () -> decodeAndResize(file));
    }

    private PreparedImage decodeAndResize(Path file) throws IOException {
        // The decoder may hand back a DCT-reduced image (never smaller than the canvas); boxes
        // stay in full-size pixels, so the geometry is the full image's and only the resize
        // itself starts from the reduced pixels (the reduction divides the size exactly).
        ReducedDicom.Decoded d = decoder.decodeAtLeast(file, spec.width(), spec.height());
        GrayImage src = d.image();
        decodes.incrementAndGet();
        ResizeGeometry g = geometry(d.fullWidth(), d.fullHeight());
        ResizeGeometry pixels = d.scale() == 1 ? g : geometry(src.width(), src.height());
        // Quantised so a first pass and a cached pass give the network identical inputs.
        return new PreparedImage(Resize.into(src, pixels, spec.interpolation()).quantized(), g);
    }

    private ResizeGeometry geometry(int width, int height) {
        return spec.keepAspect()
                ? ResizeGeometry.keepAspect(width, height, spec.width(), spec.height())
                : ResizeGeometry.stretch(width, height, spec.width(), spec.height());
    }

    /**
     * The image in canvas pixels with its boxes (given in original pixels) moved into the canvas
     * through the resize geometry (scale and padding) and, unless {@code augment} is none,
     * augmented with randomness from {@code rnd}; the geometry comes along to map predictions back.
     */
    public LoadedImage load(Path file, List<Box> boxes, AugmentSpec augment, Random rnd) throws IOException {
        PreparedImage p = prepare(file);
        List<Box> inCanvas = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            inCanvas.add(p.geometry().toTarget(b));
        }
        if (augment.isNone()) {
            return new LoadedImage(p.image(), inCanvas, p.geometry());
        }
        Augmented a = Augment.apply(p.image(), inCanvas, augment, rnd);
        return new LoadedImage(a.image(), a.boxes(), p.geometry());
    }

    /** Normalises, replicates channels and stacks canvas-sized images into one batch tensor. */
    public INDArray toTensor(List<GrayImage> images) {
        int n = images.size();
        int c = spec.channels();
        int h = spec.height();
        int w = spec.width();
        float[] data = new float[n * c * h * w];
        for (int i = 0; i < n; i++) {
            GrayImage img = images.get(i);
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + " x " + img.height()
                        + ", the pipeline's canvas is " + w + " x " + h);
            }
            float[] px = img.pixels();
            int base = i * c * h * w;
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < px.length; p++) {
                    float v = spec.normalization().apply(px[p], ch, c);
                    int at = spec.layout() == Layout.NCHW ? base + ch * h * w + p : base + p * c + ch;
                    data[at] = v;
                }
            }
        }
        long[] shape = spec.layout() == Layout.NCHW ? new long[]{n, c, h, w} : new long[]{n, h, w, c};
        return Nd4j.create(data, shape, 'c');
    }
}
