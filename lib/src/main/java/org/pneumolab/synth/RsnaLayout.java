package org.pneumolab.synth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import org.pneumolab.dicom.DicomWriter;
import org.pneumolab.io.CsvFile;

/**
 * The RSNA Pneumonia Detection Challenge layout (Kaggle, stage 2):
 * <pre>
 * rsna/stage_2_train_labels.csv          patientId,x,y,width,height,Target  (one row per box)
 * rsna/stage_2_detailed_class_info.csv   patientId,class                    (one row per label row)
 * rsna/stage_2_train_images/ID.dcm       1024x1024 JPEG Baseline DICOM
 * rsna/stage_2_test_images/ID.dcm
 * rsna/stage_2_sample_submission.csv     patientId,PredictionString
 * rsna/sample_test_labels.csv            (sample only) the test images' true boxes
 * </pre>
 */
public final class RsnaLayout {
    public static final String FOLDER = "rsna";
    public static final String TRAIN_LABELS = "stage_2_train_labels.csv";
    public static final String CLASS_INFO = "stage_2_detailed_class_info.csv";
    public static final String TRAIN_IMAGES = "stage_2_train_images";
    public static final String TEST_IMAGES = "stage_2_test_images";
    public static final String SAMPLE_SUBMISSION = "stage_2_sample_submission.csv";
    /** Not in Kaggle's data: the sample's test truth, so held-out scoring works on the sample. */
    public static final String SAMPLE_TEST_LABELS = "sample_test_labels.csv";
    /** Every row of Kaggle's sample submission carries this same dummy prediction. */
    static final String KAGGLE_DUMMY_PREDICTION = "0.5 0 0 100 100";
    private static final double[] PIXEL_SPACINGS = {0.139, 0.143, 0.168, 0.171};
    private static final float JPEG_QUALITY = 0.87f;

    /** A rendered film: its DICOM's JPEG bytes and true boxes (pixels of the 1024 image). */
    public record RsnaImage(RsnaPatient patient, byte[] jpeg, List<LabelBox> boxes) {
    }

    /** What the CSVs need of a written film: the patient and its true boxes, no pixels. */
    record Written(RsnaPatient patient, List<LabelBox> boxes) {
    }

    private RsnaLayout() {
    }

    /** Train patients then test patients, each set with RSNA's class mix and AP/PA skew, shuffled. */
    public static List<RsnaPatient> plan(SampleSpec spec) {
        List<RsnaPatient> all = new ArrayList<>(plan(spec, spec.rsnaTrain(), false));
        all.addAll(plan(spec, spec.rsnaTest(), true));
        return all;
    }

    private static List<RsnaPatient> plan(SampleSpec spec, int n, boolean test) {
        String stream = test ? "rsna-test" : "rsna-train";
        Random r = new Random(FrozenSampleSeeds.derive(spec.seed(), stream, 0));
        // exact class and view counts (then shuffled), so small samples keep the real mix
        List<RsnaClass> classes = new ArrayList<>();
        List<String> views = new ArrayList<>();
        int lo = (int) Math.round(n * RsnaClass.LUNG_OPACITY.share);
        int nn = (int) Math.round(n * RsnaClass.NOT_NORMAL.share);
        int[] counts = {lo, nn, Math.max(0, n - lo - nn)};
        RsnaClass[] order = RsnaClass.values();
        for (int c = 0; c < order.length; c++) {
            int ap = (int) Math.round(counts[c] * order[c].apShare);
            for (int i = 0; i < counts[c]; i++) {
                classes.add(order[c]);
                views.add(i < ap ? "AP" : "PA");
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, r);
        List<RsnaPatient> out = new ArrayList<>();
        for (int k = 0; k < idx.size(); k++) {
            int i = idx.get(k);
            UUID id = new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
            String sex = r.nextDouble() < 0.57 ? "M" : "F";
            int age = (int) Math.max(1, Math.min(90, Math.round(47 + 16.5 * r.nextGaussian())));
            double spacing = PIXEL_SPACINGS[r.nextInt(PIXEL_SPACINGS.length)];
            out.add(new RsnaPatient(id.toString(), classes.get(i), views.get(i), sex, age, spacing, test,
                    FrozenSampleSeeds.derive(spec.seed(), stream, k + 1)));
        }
        return out;
    }

    /** Draws the patient's film; deterministic in the patient's seed. */
    public static RsnaImage render(RsnaPatient p, int size) {
        Random r = new Random(p.seed());
        boolean ap = p.viewPosition().equals("AP");
        Anatomy anatomy = Anatomy.random(r, Population.ADULT, ap);
        List<Finding> findings = new ArrayList<>();
        switch (p.rsnaClass()) {
            case LUNG_OPACITY -> {
                findings.addAll(FindingSampler.adultOpacities(r, anatomy, FindingSampler.rsnaBoxCount(r)));
                if (r.nextDouble() < (ap ? 0.35 : 0.1)) {
                    findings.addAll(FindingSampler.supportDevices(r, anatomy));
                }
            }
            case NOT_NORMAL -> findings.addAll(FindingSampler.notNormal(r, anatomy));
            case NORMAL -> { }
        }
        ChestCase c = ChestCase.random(r, anatomy, ap, findings);
        ChestRenderer.Rendering rendering = new ChestRenderer().render(c, size, size);
        if (rendering.boxes().size() != c.opacityCount()) {
            throw new IllegalStateException("patient " + p.patientId() + ": " + c.opacityCount()
                    + " opacities drawn but " + rendering.boxes().size() + " boxes found");
        }
        return new RsnaImage(p, JpegCodec.encode(rendering.image(), JPEG_QUALITY), rendering.boxes());
    }

    /**
     * Renders and writes the patient's DICOM under {@code rsnaRoot}; returns the boxes only, so a
     * generator writing 30,000 films keeps labels (a few hundred bytes each), never the JPEG bytes.
     */
    static Written write(RsnaPatient p, int size, Path rsnaRoot) throws IOException {
        RsnaImage img = render(p, size);
        DicomWriter.ChestRadiograph header = new DicomWriter.ChestRadiograph(p.patientId(), p.patientId(), p.sex(),
                Integer.toString(p.age()), p.viewPosition(), size, size, p.pixelSpacing(),
                uid(p.seed(), "study"), uid(p.seed(), "series"), uid(p.seed(), "instance"));
        DicomWriter.write(rsnaRoot.resolve(p.folder()).resolve(p.fileName()), header, img.jpeg());
        return new Written(p, img.boxes());
    }

    /** Writes the four CSVs for rendered patients (in plan order), through the CSV library. */
    static void writeCsvs(List<Written> images, Path rsnaRoot) throws IOException {
        List<String> labelColumns = List.of("patientId", "x", "y", "width", "height", "Target");
        List<List<String>> train = new ArrayList<>();
        List<List<String>> classes = new ArrayList<>();
        List<List<String>> testTruth = new ArrayList<>();
        List<List<String>> submission = new ArrayList<>();
        for (Written img : images) {
            RsnaPatient p = img.patient();
            List<List<String>> labels = p.test() ? testTruth : train;
            if (img.boxes().isEmpty()) {
                labels.add(List.of(p.patientId(), "", "", "", "", "0"));
                if (!p.test()) {
                    classes.add(List.of(p.patientId(), p.rsnaClass().label()));
                }
            }
            for (LabelBox b : img.boxes()) {
                labels.add(List.of(p.patientId(), num(b.x()), num(b.y()), num(b.width()), num(b.height()), "1"));
                if (!p.test()) {
                    classes.add(List.of(p.patientId(), p.rsnaClass().label()));
                }
            }
            if (p.test()) {
                submission.add(List.of(p.patientId(), KAGGLE_DUMMY_PREDICTION));
            }
        }
        CsvFile.write(rsnaRoot.resolve(TRAIN_LABELS), labelColumns, train);
        CsvFile.write(rsnaRoot.resolve(CLASS_INFO), List.of("patientId", "class"), classes);
        CsvFile.write(rsnaRoot.resolve(SAMPLE_SUBMISSION), List.of("patientId", "PredictionString"), submission);
        CsvFile.write(rsnaRoot.resolve(SAMPLE_TEST_LABELS), labelColumns, testTruth);
    }

    /** Kaggle writes box numbers as floats with one decimal, e.g. {@code 264.0}. */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A UUID-derived UID (2.25 root), fixed by the patient's seed. */
    static String uid(long seed, String what) {
        long hi = FrozenSampleSeeds.derive(seed, what, 1);
        long lo = FrozenSampleSeeds.derive(seed, what, 2);
        byte[] b = ByteBuffer.allocate(17).put((byte) 0).putLong(hi).putLong(lo).array();
        return "2.25." + new BigInteger(b);
    }
}
