package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.train.TrainingHistory;

/**
 * {@code kept.json} and the run folders written before it: the kept model is read from the file
 * when there is one, inferred by the old trainer's rule when there is none (best.json present: the
 * best epoch in best.sd; absent: the last), and a folder naming weights it lacks is refused with
 * the folder in the message. Superseded weights are pruned only once nothing names them.
 */
class RunStoreKeptTest {
    /** A one-variable graph that says which epoch it is. */
    private static SameDiff epochGraph(int epoch) {
        SameDiff sd = SameDiff.create();
        sd.var("w", Nd4j.scalar((double) epoch));
        return sd;
    }

    private static int epochOf(SameDiff sd) {
        return (int) sd.getVariable("w").getArr().getDouble(0);
    }

    private static TrainingHistory history(int epochs) {
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= epochs; e++) {
            h.add(e, Map.of("train_loss", 1.0 / e));
        }
        return h;
    }

    /** An old-style folder: three epochs, last weights in weights-e003.sd, and (optionally) best.sd with best.json. */
    private static RunStore legacy(Path root, Integer bestEpoch) throws IOException {
        RunStore store = new RunStore(root);
        Files.createDirectories(store.dir("old"));
        Files.writeString(store.dir("old").resolve("config.json"), "{\"detector\":{}}\n");
        store.save("old", 3, epochGraph(3), history(3));
        if (bestEpoch != null) {
            try (OutputStream out = Files.newOutputStream(store.dir("old").resolve("best.sd"))) {
                epochGraph(bestEpoch).save(out, true);
            }
            Files.writeString(store.dir("old").resolve("best.json"),
                    "{\"epoch\":" + bestEpoch + ",\"metric\":\"val_rsna_metric\",\"value\":0.25}\n");
        }
        return store;
    }

    @Test
    void oldFolderWithBestJsonKeepsTheBestEpoch(@TempDir Path tmp) throws Exception {
        RunStore store = legacy(tmp, 2);
        RunStore.Kept k = store.kept("old");
        assertEquals(2, k.epoch());
        assertEquals("best.sd", k.weights());
        assertEquals(RunStore.BEST, k.rule());
        assertTrue(k.note().startsWith("epoch 2 of 3, best val_rsna_metric (0.250)"), k.note());
        assertTrue(k.note().contains("inferred"), k.note());
        assertEquals(2, epochOf(store.loadKept("old").graph()));
    }

    @Test
    void oldFolderWithoutBestJsonKeepsTheLastEpoch(@TempDir Path tmp) throws Exception {
        RunStore store = legacy(tmp, null);
        RunStore.Kept k = store.kept("old");
        assertEquals(3, k.epoch());
        assertEquals(RunStore.LAST, k.rule());
        assertTrue(k.note().contains("inferred"), k.note());
        assertEquals(3, epochOf(store.loadKept("old").graph()));
    }

    @Test
    void aFolderLackingItsKeptWeightsIsRefusedNamingTheFolder(@TempDir Path tmp) throws Exception {
        RunStore store = legacy(tmp, 2);
        Files.delete(store.dir("old").resolve("best.sd"));
        IOException e = assertThrows(IOException.class, () -> store.loadKept("old"));
        assertTrue(e.getMessage().contains(store.dir("old").toString()) && e.getMessage().contains("best.sd"), e.getMessage());
        IOException viaPredict = assertThrows(IOException.class, () -> SavedDetector.load(store.dir("old")));
        assertTrue(viaPredict.getMessage().contains(store.dir("old").toString()), viaPredict.getMessage());
    }

    @Test
    void noCompletedEpochMeansNoKeptModel(@TempDir Path tmp) throws Exception {
        RunStore store = new RunStore(tmp);
        Files.createDirectories(store.dir("empty"));
        assertNull(store.kept("empty"));
    }

    @Test
    void keptJsonIsReadAndAStaleOneGivesWayToTheSameRuleOverTheCompletedEpochs(@TempDir Path tmp) throws Exception {
        RunStore store = new RunStore(tmp);
        Files.createDirectories(store.dir("r"));
        store.save("r", 1, epochGraph(1), history(1));
        store.saveBest("r", 1, "val_x", 0.4, epochGraph(1));
        store.writeKept("r", store.decide("r", "val_x"));
        store.prune("r");
        store.save("r", 2, epochGraph(2), history(2));
        store.saveBest("r", 2, "val_x", 0.6, epochGraph(2));
        store.writeKept("r", store.decide("r", "val_x"));
        store.prune("r");
        assertFalse(Files.exists(store.dir("r").resolve("best-e001.sd")), "the superseded best is pruned");
        assertFalse(Files.exists(store.dir("r").resolve("weights-e001.sd")));

        // epoch 3 is worse: kept stays epoch 2, whose file must survive the pruning
        store.save("r", 3, epochGraph(3), history(3));
        // interrupted here, before kept.json was rewritten: the reader applies the rule to the 3 completed epochs
        RunStore.Kept stale = store.kept("r");
        assertEquals(2, stale.epoch());
        assertEquals(3, stale.completedEpochs());
        store.writeKept("r", store.decide("r", "val_x"));
        store.prune("r");
        RunStore.KeptModel k = store.loadKept("r");
        assertEquals(2, k.kept().epoch());
        assertEquals("best-e002.sd", k.kept().weights());
        assertEquals(2, epochOf(k.graph()));
        assertTrue(Files.exists(store.dir("r").resolve("weights-e003.sd")), "the last epoch stays, to resume from");
        assertFalse(Files.exists(store.dir("r").resolve("weights-e002.sd")));

        // every JSON file of the run folder is strict JSON (kept.json of a last-epoch run has value null beside its note)
        for (String f : List.of("kept.json", "best.json", "state.json")) {
            org.pneumolab.io.JsonNumbers.parseStrict(Files.readString(store.dir("r").resolve(f)));
        }
        RunStore last = legacy(tmp.resolve("l"), null);
        last.writeKept("old", last.decide("old", "val_x"));
        var keptLast = org.pneumolab.io.JsonNumbers.parseStrict(Files.readString(last.dir("old").resolve("kept.json")))
                .getAsJsonObject();
        assertTrue(keptLast.get("value").isJsonNull());
        assertTrue(keptLast.get("note").getAsString().contains("val_x was undefined at every epoch"), keptLast.toString());

        // a caller choosing by another metric than the run's is refused, not silently given another epoch
        assertThrows(IllegalStateException.class, () -> store.decide("r", "val_y"));
    }
}
