package org.pneumolab.data;

import java.util.List;
import java.util.Map;

/**
 * A patient's images are in more than one split: evaluation would be on images of patients the
 * model was trained on. Thrown by every split this package produces, never downgraded to a warning.
 */
public final class PatientLeakageException extends IllegalStateException {
    private final Map<String, List<String>> leaked;

    PatientLeakageException(Map<String, List<String>> leaked) {
        super(message(leaked));
        this.leaked = Map.copyOf(leaked);
    }

    /** Patient to the splits it appears in. */
    public Map<String, List<String>> leaked() {
        return leaked;
    }

    private static String message(Map<String, List<String>> leaked) {
        StringBuilder s = new StringBuilder("patient leakage: " + leaked.size() + " patient(s) in more than one split: ");
        int shown = 0;
        for (Map.Entry<String, List<String>> e : leaked.entrySet()) {
            if (shown++ == 10) {
                s.append(", ...");
                break;
            }
            s.append(shown > 1 ? ", " : "").append(e.getKey()).append(" in ").append(String.join(" and ", e.getValue()));
        }
        return s.toString();
    }
}
