package org.pneumolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.classify.InceptionV3Graph;

/**
 * The peer's plain-torch InceptionV3 is the same network as ours: same number of weights
 * (convolutions plus batch-norm gamma, beta, mean and variance, which DL4J counts as parameters and
 * torch as parameters and buffers) and the same mixed10 output shape at 299 px.
 */
class PeerInceptionTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void peerInceptionMatchesOurGraph(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " not installed");
        Path script = dir.resolve("peer.py");
        try (InputStream s = PythonPeer.class.getResourceAsStream("peer.py")) {
            Files.copy(s, script);
        }
        String code = "import sys; sys.path.insert(0, sys.argv[1]); import peer, torch\n"
                + "m = peer.inception_v3().eval()\n"
                + "n = sum(v.numel() for k, v in m.state_dict().items() if not k.endswith('num_batches_tracked'))\n"
                + "with torch.no_grad(): y = m(torch.rand(1, 3, 299, 299))\n"
                + "print(n, *y.shape[1:])\n";
        String out = run(code, dir.toString());
        Assumptions.assumeFalse(out.contains("No module named 'torch'"), "python3-torch absent");
        String[] f = out.trim().split("\\s+");

        ComputationGraph ours = new ComputationGraph(InceptionV3Graph.configuration(299, 1));
        ours.init();
        long[] shape = ours.outputSingle(org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 299, 299)).shape();
        assertEquals(ours.numParams(), Long.parseLong(f[0]), "weights: ours vs peer.py");
        assertEquals(shape[1] + " " + shape[2] + " " + shape[3], f[1] + " " + f[2] + " " + f[3]);
    }

    private static String run(String code, String dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", code, dir).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroy();
        }
        return out;
    }
}
