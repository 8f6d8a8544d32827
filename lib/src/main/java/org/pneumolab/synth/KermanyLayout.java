package org.pneumolab.synth;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.pneumolab.io.AtomicFiles;

/**
 * The Kermany et al. pediatric chest X-ray layout as shipped on Kaggle
 * ({@code chest_xray/{train,val,test}/{NORMAL,PNEUMONIA}/*.jpeg}), with its file naming
 * ({@code IM-0115-0001.jpeg}, {@code NORMAL2-IM-1427-0001.jpeg}, {@code person1_bacteria_1.jpeg},
 * {@code person10_virus_35.jpeg}) and its class imbalance scaled down.
 */
public final class KermanyLayout {
    public static final String FOLDER = "chest_xray";
    public static final String NORMAL = "NORMAL";
    public static final String PNEUMONIA = "PNEUMONIA";
    /** Real counts: split, NORMAL, PNEUMONIA (5,856 images). */
    private static final Object[][] REAL = {{"train", 1341, 3875}, {"val", 8, 8}, {"test", 234, 390}};
    private static final int REAL_TOTAL = 5856;
    private static final float JPEG_QUALITY = 0.85f;

    private KermanyLayout() {
    }

    /** Every image, split by split; patients never cross splits and keep their anatomy across images. */
    public static List<KermanyImage> plan(SampleSpec spec) {
        List<KermanyImage> out = new ArrayList<>();
        if (spec.kermanyImages() == 0) {
            return out;
        }
        Random r = new Random(FrozenSampleSeeds.derive(spec.seed(), "kermany", 0));
        double scale = (double) spec.kermanyImages() / REAL_TOTAL;
        int[] normalPatient = {100 + r.nextInt(50)};
        int[] person = {1};
        int[] bacteriaCounter = {0};
        int[] virusCounter = {0};
        long[] serial = {0};
        for (Object[] row : REAL) {
            String split = (String) row[0];
            for (int c = 0; c < 2; c++) {
                boolean pneumonia = c == 1;
                int count = Math.max(2, (int) Math.round((Integer) row[1 + c] * scale));
                while (count > 0) {
                    int images = Math.min(count, imagesPerPatient(r));
                    long patientSeed = FrozenSampleSeeds.derive(spec.seed(), "kermany-patient", serial[0]++);
                    String normalPrefix = r.nextDouble() < 0.4 ? "NORMAL2-IM-" : "IM-";
                    String subtype = pneumonia ? (r.nextDouble() < 0.65 ? "bacteria" : "virus") : "";
                    for (int k = 1; k <= images; k++) {
                        String name;
                        if (pneumonia) {
                            int[] counter = subtype.equals("bacteria") ? bacteriaCounter : virusCounter;
                            counter[0] += 1 + (r.nextDouble() < 0.2 ? 1 : 0);
                            name = "person" + person[0] + "_" + subtype + "_" + counter[0] + ".jpeg";
                        } else {
                            name = String.format(Locale.ROOT, "%s%04d-%04d.jpeg", normalPrefix, normalPatient[0], k);
                        }
                        int width = spec.kermanyMinWidth() + r.nextInt(spec.kermanyMaxWidth() - spec.kermanyMinWidth() + 1);
                        int height = (int) Math.round(width * Anatomy.uniform(r, 0.62, 0.95));
                        out.add(new KermanyImage(split, pneumonia ? PNEUMONIA : NORMAL, name, subtype, width, height,
                                r.nextDouble() < 0.03, patientSeed, FrozenSampleSeeds.derive(spec.seed(), "kermany-image", serial[0]++)));
                    }
                    if (pneumonia) {
                        person[0] += 1 + r.nextInt(3);
                    } else {
                        normalPatient[0] += 1 + r.nextInt(4);
                    }
                    count -= images;
                }
            }
        }
        return out;
    }

    private static int imagesPerPatient(Random r) {
        double p = r.nextDouble();
        return p < 0.65 ? 1 : p < 0.9 ? 2 : 3;
    }

    /** Draws the image: the patient's anatomy, this film's pose and exposure, the pneumonia if any. */
    public static BufferedImage render(KermanyImage img) {
        Anatomy anatomy = Anatomy.random(new Random(img.patientSeed()), Population.CHILD, true);
        Random r = new Random(img.imageSeed());
        List<Finding> findings = new ArrayList<>();
        if (img.pneumonia()) {
            findings.addAll(img.subtype().equals("virus")
                    ? FindingSampler.viralPneumonia(r, anatomy)
                    : FindingSampler.bacterialPneumonia(r, anatomy));
        }
        ChestCase c = ChestCase.random(r, anatomy, false, findings);
        BufferedImage gray = new ChestRenderer().render(c, img.width(), img.height()).image();
        if (!img.rgb()) {
            return gray;
        }
        BufferedImage rgb = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        var g = rgb.createGraphics();
        try {
            g.drawImage(gray, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    public static byte[] renderJpeg(KermanyImage img) {
        return JpegCodec.encode(render(img), JPEG_QUALITY);
    }

    static void write(KermanyImage img, Path kermanyRoot) throws IOException {
        AtomicFiles.writeBytes(kermanyRoot.resolve(img.relativePath()), renderJpeg(img));
    }
}
