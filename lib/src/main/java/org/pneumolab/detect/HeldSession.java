package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.LossCurve;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.TrainingSession;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One SameDiff training session kept across a detector's training steps.
 *
 * <p>Why: {@code SameDiff.fit(MultiDataSet)} (1.0.0-M2.1) builds a new {@code TrainingSession},
 * with a new array cache, on every call, and nothing closes it, so every activation and gradient
 * buffer of a step was allocated afresh and given back only when Java's GC ran ND4J's
 * deallocators. Measured on the paper RetinaNet (batch 2, 1 thread): every second or third step
 * touched ~350k new pages (resident memory +0.8 GB each time, 2.7 to 5.1 GB over 8 steps) and cost
 * 1-2 s more CPU than the others (docs/PERF.md). A session used for many iterations (as
 * {@code fit} over an iterator uses one) hands its arrays back to its own cache and reuses them.
 *
 * <p>What a step does is what {@code SameDiff.fitHelper} does for one epoch of one batch (read
 * from its M2.1 bytecode): listeners' operation/epoch/iteration start, one
 * {@code TrainingSession.trainingIteration} over every trainable variable with the graph's
 * updaters and loss variables, the iteration count, epoch end (and, as {@code fit(MultiDataSet)},
 * not the epoch count). The same
 * {@link At} values and the same counters, so Adam's bias correction and every listener see what
 * they saw with {@code fit}; {@code HeldSessionTest} checks the losses and weights against
 * {@code fit} step by step.
 */
final class HeldSession {
    private final SameDiff grad;
    private final TrainingConfig config;
    private final TrainingSession session;
    private final Set<String> trainable;

    private HeldSession(SameDiff grad, TrainingConfig config, Set<String> trainable) {
        this.grad = grad;
        this.config = config;
        this.session = new TrainingSession(grad);
        this.trainable = trainable;
    }

    /** A session for {@code sd}, whose gradient function and updaters a first {@code fit} has set up. */
    static HeldSession of(SameDiff sd) {
        Set<String> trainable = new LinkedHashSet<>();
        for (Variable v : sd.getVariables().values()) {
            if (v.getVariable().getVariableType() == VariableType.VARIABLE) {
                trainable.add(v.getName());
            }
        }
        return new HeldSession(sd.getFunction("grad"), sd.getTrainingConfig(), trainable);
    }

    /**
     * Frees the arrays this session's cache keeps for the next step. The session must not step
     * again afterwards: ND4J's cache closes its arrays but keeps them listed.
     */
    void close() {
        session.getMmgr().close();
    }

    SameDiff grad() {
        return grad;
    }

    TrainingConfig config() {
        return config;
    }

    /** One optimisation step on {@code data} ({@code placeholders}: the same batch by placeholder name). */
    void step(SameDiff sd, MultiDataSet data, Map<String, INDArray> placeholders, Listener extra) {
        // fit's order: the listeners passed to the call, then the graph's own
        List<Listener> listeners = new ArrayList<>();
        if (extra.isActive(Operation.TRAINING)) {
            listeners.add(extra);
        }
        for (Listener l : sd.getListeners()) {
            if (l.isActive(Operation.TRAINING) && !listeners.contains(l)) {
                listeners.add(l);
            }
        }
        At at = At.builder().epoch(config.getEpochCount()).iteration(config.getIterationCount()).trainingThreadNum(0)
                .javaThreadNum(Thread.currentThread().getId()).operation(Operation.TRAINING).build();
        for (Listener l : listeners) {
            l.operationStart(sd, Operation.TRAINING);
        }
        for (Listener l : listeners) {
            l.epochStart(sd, at);
        }
        long t0 = System.currentTimeMillis();
        for (Listener l : listeners) {
            l.iterationStart(sd, at, data, 0);
        }
        var loss = session.trainingIteration(config, placeholders, trainable, sd.getUpdaterMap(), data,
                sd.getLossVariables(), listeners, at);
        config.incrementIterationCount();
        LossCurve curve = new LossCurve(loss.getLosses().clone(), loss.getLossNames());
        long ms = System.currentTimeMillis() - t0;
        for (Listener l : listeners) {
            l.epochEnd(sd, at, curve, ms);
        }
        for (Listener l : listeners) {
            l.operationEnd(sd, Operation.TRAINING);
        }
        // no incrementEpochCount(): fit(MultiDataSet) calls fitHelper with incrementEpochCount false
    }
}
