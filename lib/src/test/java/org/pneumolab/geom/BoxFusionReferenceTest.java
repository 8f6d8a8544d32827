package org.pneumolab.geom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BoxFusion#weighted} against an independent numpy implementation in the shape of the
 * ensemble-boxes package ({@code wbf_reference.py}, run by Debian's /usr/bin/python3, which the
 * test setup gives numpy), on seeded random cases: several sources, unequal weights, overlapping
 * clusters, boxes under the skip threshold.
 */
class BoxFusionReferenceTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void matchesTheNumpyReferenceOnRandomCases(@TempDir Path dir) throws Exception {
        Random rnd = new Random(2019);
        List<Object> cases = new ArrayList<>();
        List<List<List<Detection>>> inputs = new ArrayList<>();
        List<double[]> params = new ArrayList<>();
        List<double[]> weightsOf = new ArrayList<>();
        for (int c = 0; c < 150; c++) {
            int nSources = 1 + rnd.nextInt(4);
            List<List<Detection>> sources = new ArrayList<>();
            List<List<double[]>> json = new ArrayList<>();
            double[] weights = new double[nSources];
            // a few "true" objects that each source sees with jitter, plus strays
            int objects = 1 + rnd.nextInt(3);
            double[][] centres = new double[objects][];
            for (int o = 0; o < objects; o++) {
                centres[o] = new double[] {50 + 400 * rnd.nextDouble(), 50 + 400 * rnd.nextDouble(),
                    40 + 100 * rnd.nextDouble(), 40 + 100 * rnd.nextDouble()};
            }
            for (int s = 0; s < nSources; s++) {
                weights[s] = rnd.nextBoolean() ? 1.0 : 0.5 + 2 * rnd.nextDouble();
                List<Detection> list = new ArrayList<>();
                List<double[]> rows = new ArrayList<>();
                for (int k = 0, n = rnd.nextInt(7); k < n; k++) {
                    double[] o = centres[rnd.nextInt(objects)];
                    boolean stray = rnd.nextDouble() < 0.2;
                    Box b = stray ? Box.fromXywh(500 * rnd.nextDouble(), 500 * rnd.nextDouble(), 20 + 80 * rnd.nextDouble(),
                            20 + 80 * rnd.nextDouble())
                            : Box.fromCentre(o[0] + 8 * rnd.nextGaussian(), o[1] + 8 * rnd.nextGaussian(),
                                    o[2] * (1 + 0.1 * rnd.nextGaussian()), o[3] * (1 + 0.1 * rnd.nextGaussian()));
                    double score = rnd.nextDouble();
                    list.add(new Detection(b, score));
                    rows.add(new double[] {b.x1(), b.y1(), b.x2(), b.y2(), score});
                }
                sources.add(list);
                json.add(rows);
            }
            double iou = new double[] {0.3, 0.55, 0.7}[rnd.nextInt(3)];
            double skip = rnd.nextBoolean() ? 0.0 : 0.2;
            cases.add(java.util.Map.of("sources", json, "weights", weights, "iou", iou, "skip", skip));
            inputs.add(sources);
            params.add(new double[] {iou, skip});
            weightsOf.add(weights);
        }
        Path in = dir.resolve("cases.json");
        Files.writeString(in, new Gson().toJson(cases));
        Path script = dir.resolve("wbf_reference.py");
        try (InputStream s = getClass().getResourceAsStream("wbf_reference.py")) {
            Files.copy(s, script);
        }
        JsonArray expected = new JsonParser().parse(runPython(script, in)).getAsJsonArray();
        assertEquals(inputs.size(), expected.size());
        for (int c = 0; c < inputs.size(); c++) {
            List<Detection> got = BoxFusion.weighted(inputs.get(c), weightsOf.get(c), params.get(c)[0], params.get(c)[1]);
            JsonArray want = expected.get(c).getAsJsonArray();
            assertEquals(want.size(), got.size(), "case " + c + ": cluster count");
            for (int k = 0; k < got.size(); k++) {
                JsonArray w = want.get(k).getAsJsonArray();
                Detection g = got.get(k);
                double[] gv = {g.box().x1(), g.box().y1(), g.box().x2(), g.box().y2(), g.score()};
                for (int q = 0; q < 5; q++) {
                    assertEquals(w.get(q).getAsDouble(), gv[q], 1e-9, "case " + c + ", box " + k + ", value " + q);
                }
            }
        }
    }

    private static String runPython(Path script, Path in) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            fail("/usr/bin/python3 is missing: run `bin/pneumo test`, which installs the test tools (python3-numpy)");
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), in.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("the numpy reference failed (is python3-numpy installed? `bin/pneumo test` installs it): "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
