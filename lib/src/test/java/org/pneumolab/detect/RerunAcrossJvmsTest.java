package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.classify.Backbone;
import org.pneumolab.classify.Backbones;
import org.pneumolab.classify.Featurizer;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.runtime.FastPath;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * "Same seed, same numbers" across processes, not only within one JVM: two fresh JVMs each train
 * both detectors for a few steps through {@link DetectorTrainer} (shuffling, batching, the step
 * seeds, the sample profile's thread rule) and featurize a few images through the folded base, and
 * print a SHA-256 of the trained weights, the detections and the features. The hashes must be
 * equal, bit for bit. Cheap sizes: 64 px blobs, tiny detectors, VGG16 cut at block3_pool at 32 px.
 */
class RerunAcrossJvmsTest {

    /** The child JVM: {@code args[0]} is a scratch folder; prints one "name sha256" line per result. */
    public static void main(String[] args) throws Exception {
        FastPath.enable();
        NativeThreads.useProfile(Profile.SAMPLE);
        Path tmp = Path.of(args[0]);
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        List<DetectionSample> files = SyntheticBlobs.files(tmp.resolve("train"), 16, 64, 0.25, 1);
        var input = new DetectorTrainer.Input(files, pipeline, AugmentSpec.detection(), ProblemLog.quiet());
        var settings = new DetectorTrainer.Settings(2, 4, 7, 2);
        var val = SyntheticBlobs.load(SyntheticBlobs.files(tmp.resolve("val"), 4, 64, 0.25, 2), pipeline);
        PostProcess pp = PostProcess.raw(20);

        var rcfg = RetinaNetTrainingTest.small();
        var retina = DetectorTrainer.train(new RunStore(tmp.resolve("runs")), "retina", RetinaNet.create(rcfg),
                sd -> RetinaNet.restore(rcfg, sd), input, settings, null).detector();
        System.out.println("retinanet " + hash(retina.graph(), retina.detect(val, pp)));

        var fcfg = FasterRcnnTest.tiny(false, false);
        var frcnn = DetectorTrainer.train(new RunStore(tmp.resolve("runs")), "frcnn", FasterRcnn.create(fcfg),
                sd -> FasterRcnn.restore(fcfg, sd), input, settings, null).detector();
        System.out.println("faster-rcnn " + hash(frcnn.graph(), frcnn.detect(val, pp)));

        Backbone vgg = Backbones.vgg16(32, 5).cutAt("block3_pool", "block3_conv3");
        Nd4j.getRandom().setSeed(11);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 6, 3, 32, 32).muli(255);
        INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}});
        DataSetIterator it = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(new DataSet(pixels, labels).asList(), 4);
        INDArray features = Featurizer.bottleneck(vgg).extract(it, "rerun").features();
        System.out.println("features " + hash(features));
    }

    private static String hash(SameDiff graph, List<ImageDetections> detections) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        TreeMap<String, INDArray> weights = new TreeMap<>();
        for (SDVariable v : graph.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                weights.put(v.name(), v.getArr());
            }
        }
        assertTrue(!weights.isEmpty());
        weights.forEach((name, arr) -> {
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update(bytes(arr));
        });
        int boxes = 0;
        for (ImageDetections d : detections) {
            for (var x : d.detections()) {
                md.update(String.format("%s %.17g %.17g %.17g %.17g %.17g%n", d.imageId(), x.score(), x.box().x1(),
                        x.box().y1(), x.box().x2(), x.box().y2()).getBytes(StandardCharsets.UTF_8));
                boxes++;
            }
        }
        if (boxes == 0) {
            throw new IllegalStateException("no detections to compare");
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String hash(INDArray a) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(a)));
    }

    private static byte[] bytes(INDArray arr) {
        double[] v = arr.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    private static Process start(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.eclipse.deeplearning4j.helpers.disable=false"));
        String ext = System.getProperty(FastPath.EXTENSION_PROPERTY);
        if (ext != null) {
            cmd.add("-D" + FastPath.EXTENSION_PROPERTY + "=" + ext);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RerunAcrossJvmsTest.class.getName(), dir.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static List<String> result(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.matches("(retinanet|faster-rcnn|features) [0-9a-f]{64}")).toList();
        assertEquals(3, lines.size(), out);
        return lines;
    }

    @Test
    void twoJvmsTrainAndFeaturizeBitIdentically() throws Exception {
        // Side by side (each child runs the sample profile's one native thread), so the test costs one run's time.
        Process a = start(Files.createTempDirectory("rerun-a"));
        Process b = start(Files.createTempDirectory("rerun-b"));
        assertEquals(result(a), result(b));
    }
}
