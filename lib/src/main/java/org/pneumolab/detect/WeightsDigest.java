package org.pneumolab.detect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.io.Digests;

/**
 * SHA-256 of a graph's trainable weights (its VARIABLE arrays: name, type, shape and every value's
 * bits, in name order). Two models have the same digest exactly when their weights are
 * bit-identical, whatever the file they were saved in looks like: this is how a resumed training
 * run is compared with an uninterrupted one.
 */
public final class WeightsDigest {
    private WeightsDigest() {
    }

    public static String of(SameDiff sd) {
        MessageDigest md = Digests.sha256();
        List<SDVariable> vars = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .sorted(Comparator.comparing(SDVariable::name))
                .toList();
        for (SDVariable v : vars) {
            INDArray a = v.getArr();
            md.update((v.name() + "|" + a.dataType() + "|" + Arrays.toString(a.shape()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            // floats widen to doubles exactly, so one path serves both
            double[] values = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            ByteBuffer buf = ByteBuffer.allocate(values.length * Double.BYTES);
            for (double x : values) {
                buf.putLong(Double.doubleToRawLongBits(x));
            }
            md.update(buf.array());
        }
        return Digests.hex(md.digest());
    }
}
