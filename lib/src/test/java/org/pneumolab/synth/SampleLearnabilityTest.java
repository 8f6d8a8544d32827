package org.pneumolab.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * The sample is only useful if its classes can be told apart from pixels: a logistic regression
 * on 32x32 downsampled images, trained on 70% and scored on the held-out 30%, must clearly beat
 * chance (ROC AUC 0.5) on both tasks. Pixels are decoded with ImageIO from our own JPEG bytes.
 */
class SampleLearnabilityTest {
    private static final int SIDE = 32;
    private static final long SEED = 7;

    @Test
    void rsnaOpacityIsLearnable() {
        SampleSpec spec = SampleSpec.defaults().withSeed(SEED).withRsna(300);
        List<RsnaPatient> patients = RsnaLayout.plan(spec).stream().filter(p -> !p.test()).toList();
        double[][] x = new double[patients.size()][];
        int[] y = new int[patients.size()];
        IntStream.range(0, patients.size()).parallel().forEach(i -> {
            RsnaLayout.RsnaImage img = RsnaLayout.render(patients.get(i), spec.rsnaSize());
            x[i] = PixelClassifier.features(decode(img.jpeg()), SIDE);
            y[i] = patients.get(i).rsnaClass().target();
        });
        double auc = heldOutAuc(x, y);
        System.out.printf("learnability, RSNA opacity vs not (held-out 30%% of sample train split): AUC %.3f%n", auc);
        assertTrue(auc > 0.75, "RSNA held-out AUC " + auc);
    }

    @Test
    void kermanyPneumoniaIsLearnable() {
        List<KermanyImage> images = KermanyLayout.plan(SampleSpec.defaults().withSeed(SEED).withKermany(300));
        double[][] x = new double[images.size()][];
        int[] y = new int[images.size()];
        IntStream.range(0, images.size()).parallel().forEach(i -> {
            x[i] = PixelClassifier.features(decode(KermanyLayout.renderJpeg(images.get(i))), SIDE);
            y[i] = images.get(i).pneumonia() ? 1 : 0;
        });
        double auc = heldOutAuc(x, y);
        System.out.printf("learnability, Kermany pneumonia vs normal (held-out 30%% of all splits): AUC %.3f%n", auc);
        assertTrue(auc > 0.75, "Kermany held-out AUC " + auc);
    }

    /** Every third-or-so image (by index, a fixed interleave) is held out; the rest train. */
    private static double heldOutAuc(double[][] x, int[] y) {
        int n = x.length;
        List<Integer> test = IntStream.range(0, n).filter(i -> i % 10 < 3).boxed().toList();
        List<Integer> train = IntStream.range(0, n).filter(i -> i % 10 >= 3).boxed().toList();
        PixelClassifier m = PixelClassifier.train(train.stream().map(i -> x[i]).toArray(double[][]::new),
                train.stream().mapToInt(i -> y[i]).toArray(), 1e-3, 40, SEED);
        double[] scores = test.stream().mapToDouble(i -> m.probability(x[i])).toArray();
        return PixelClassifier.auc(scores, test.stream().mapToInt(i -> y[i]).toArray());
    }

    private static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (img == null) {
                throw new IOException("ImageIO found no JPEG reader for our bytes");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
