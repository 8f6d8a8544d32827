package org.pneumolab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A goal of the Performance issue, checked against the measured medians: either our best
 * contestant at least {@code minRatio} times as fast as a peer contestant (the best peer when
 * {@code peerLabel} is null), or our best contestant's median in the comparison's time unit at
 * most {@code maxShown}.
 */
public record Target(String goal, String comparisonTitle, String peerLabel, double minRatio, double maxShown) {

    /** Our best at least {@code minRatio} x the speed of {@code peerLabel} (null: the best peer). */
    public static Target faster(String goal, String comparisonTitle, String peerLabel, double minRatio) {
        return new Target(goal, comparisonTitle, peerLabel, minRatio, Double.NaN);
    }

    /** Our best median at most {@code maxShown} in the comparison's (time) unit. */
    public static Target within(String goal, String comparisonTitle, double maxShown) {
        return new Target(goal, comparisonTitle, null, Double.NaN, maxShown);
    }

    /** One line: met or missed (and by how much), or why it could not be judged. */
    public String check(Map<String, Comparison> comparisons, Map<String, List<Harness.Outcome>> results) {
        Comparison c = comparisons.get(comparisonTitle);
        List<Harness.Outcome> outcomes = results.get(comparisonTitle);
        if (c == null || outcomes == null) {
            return goal + ": not judged (" + comparisonTitle + " was not run)";
        }
        Optional<String> unreliable = outcomes.stream().map(Harness.Outcome::unreliable).filter(u -> u != null).findFirst();
        if (unreliable.isPresent()) {
            return goal + ": not judged (" + comparisonTitle + " unreliable: " + unreliable.get() + ")";
        }
        Optional<Harness.Outcome> ours = outcomes.stream().filter(o -> o.contestant().ours() && o.stats() != null)
                .max((x, y) -> Double.compare(c.unit().speedRatio(x.stats().median(), y.stats().median()), 1.0));
        if (ours.isEmpty()) {
            return goal + ": not judged (no measurement on our side)";
        }
        double our = ours.get().stats().median();
        String who = ours.get().contestant().label();
        if (!Double.isNaN(maxShown)) {
            boolean met = c.unit().isTime() ? our <= maxShown : our >= maxShown;
            return String.format(Locale.ROOT, "%s: %s, %s %.3g %s%s", goal, met ? "met" : "missed", who, our,
                    c.unit().label(), met ? "" : String.format(Locale.ROOT, " (%.0f%% over)", 100 * (our / maxShown - 1)));
        }
        Optional<Harness.Outcome> peer = outcomes.stream()
                .filter(o -> !o.contestant().ours() && o.stats() != null)
                .filter(o -> peerLabel == null || o.contestant().label().equals(peerLabel))
                .max((x, y) -> Double.compare(c.unit().speedRatio(x.stats().median(), y.stats().median()), 1.0));
        if (peer.isEmpty()) {
            return goal + ": not judged (peer " + (peerLabel == null ? "" : peerLabel + " ") + "not measured)";
        }
        double ratio = c.unit().speedRatio(our, peer.get().stats().median());
        boolean met = ratio >= minRatio;
        return String.format(Locale.ROOT, "%s: %s, %s at %.2fx %s%s", goal, met ? "met" : "missed", who, ratio,
                peer.get().contestant().label(),
                met ? "" : String.format(Locale.ROOT, " (%.0f%% short of %.1fx)", 100 * (1 - ratio / minRatio), minRatio));
    }
}
