package org.pneumolab.sweep;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.metrics.RsnaResult;

/**
 * One set of settings scored on the validation split (where settings were chosen) and on the
 * held-out split (never looked at while choosing).
 */
public record SettingsComparison(String name, PostProcess settings, RsnaResult validation, RsnaResult heldOut) {
    /** Validation minus held-out metric: how optimistic the validation number was. */
    public double gap() {
        return validation.score() - heldOut.score();
    }
}
