package org.pneumolab.classify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.io.AtomicFiles;
import org.pneumolab.train.TrainingHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A head's training state after its last finished epoch, in one file written atomically, so a
 * fit stopped by Kernel > Interrupt (or a crash) goes on from there when asked again and ends
 * with the weights an uninterrupted fit has: the weights, the optimiser's state and step count,
 * ND4J's random state (dropout), the best epoch so far with its weights, the history, and when,
 * on which commit and machine and in how many seconds it was trained (a run folder written from a
 * reused checkpoint, in any study folder, records that training, not the reuse). A
 * finished fit keeps only its kept weights, so it is not trained again. The key (everything that
 * shapes the result) is stored inside and checked; a file of another key or an unreadable one is
 * reported and the fit starts from the beginning.
 */
final class HeadCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(HeadCheckpoint.class);
    /** Version 2 adds who trained it ({@link TransferModel.Trained}); version 1 files are still read. */
    private static final String MAGIC = "PNEUMOLAB-HEAD-CHECKPOINT-2";
    private static final String MAGIC_V1 = "PNEUMOLAB-HEAD-CHECKPOINT-1";

    /** A fit's state: unfinished ({@code finished} false) after {@code completed} epochs, or finished with its kept weights. */
    record State(int completed, boolean finished, INDArray params, INDArray updater, int iterations, int epochCount,
                 long rngRoot, long rngNode, int bestEpoch, double bestValue, INDArray bestParams,
                 String keptNote, TrainingHistory history, TransferModel.Trained trained) {
    }

    private final Path file;
    private final String key;

    HeadCheckpoint(Path file, String key) {
        this.file = file;
        this.key = key;
    }

    Path file() {
        return file;
    }

    /** The saved state, or null when there is none (or it is for another key, or unreadable). */
    State load() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic) && !MAGIC_V1.equals(magic)) {
                throw new IOException("not a head checkpoint");
            }
            String stored = in.readUTF();
            if (!stored.equals(key)) {
                LOG.warn("{}: a checkpoint of another fit ({}); training from the start", file, stored);
                return null;
            }
            int completed = in.readInt();
            boolean finished = in.readBoolean();
            INDArray params = Nd4j.read(in);
            INDArray updater = in.readBoolean() ? Nd4j.read(in) : null;
            int iterations = in.readInt();
            int epochCount = in.readInt();
            long root = in.readLong();
            long node = in.readLong();
            int bestEpoch = in.readInt();
            double bestValue = in.readDouble();
            INDArray bestParams = in.readBoolean() ? Nd4j.read(in) : null;
            String keptNote = in.readUTF();
            TrainingHistory history = new TrainingHistory();
            int epochs = in.readInt();
            for (int e = 0; e < epochs; e++) {
                int epoch = in.readInt();
                Map<String, Double> metrics = new LinkedHashMap<>();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    metrics.put(in.readUTF(), in.readDouble());
                }
                history.add(epoch, metrics);
            }
            TransferModel.Trained trained = MAGIC.equals(magic)
                    ? new TransferModel.Trained(in.readUTF(), in.readUTF(), in.readUTF(), in.readDouble())
                    : TransferModel.Trained.unrecorded(Files.getLastModifiedTime(file).toInstant().toString());
            return new State(completed, finished, params, updater, iterations, epochCount, root, node, bestEpoch,
                    bestValue, bestParams, keptNote, history, trained);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: unusable head checkpoint ({}); training from the start", file, e.getMessage());
            return null;
        }
    }

    void save(State s) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 20));
            d.writeUTF(MAGIC);
            d.writeUTF(key);
            d.writeInt(s.completed());
            d.writeBoolean(s.finished());
            Nd4j.write(s.params(), d);
            d.writeBoolean(s.updater() != null);
            if (s.updater() != null) {
                Nd4j.write(s.updater(), d);
            }
            d.writeInt(s.iterations());
            d.writeInt(s.epochCount());
            d.writeLong(s.rngRoot());
            d.writeLong(s.rngNode());
            d.writeInt(s.bestEpoch());
            d.writeDouble(s.bestValue());
            d.writeBoolean(s.bestParams() != null);
            if (s.bestParams() != null) {
                Nd4j.write(s.bestParams(), d);
            }
            d.writeUTF(s.keptNote());
            d.writeInt(s.history().size());
            for (TrainingHistory.Epoch e : s.history().epochs()) {
                d.writeInt(e.epoch());
                d.writeInt(e.metrics().size());
                for (var m : e.metrics().entrySet()) {
                    d.writeUTF(m.getKey());
                    d.writeDouble(m.getValue());
                }
            }
            d.writeUTF(s.trained().at());
            d.writeUTF(s.trained().commit());
            d.writeUTF(s.trained().machine());
            d.writeDouble(s.trained().seconds());
            d.flush();
        });
    }
}
