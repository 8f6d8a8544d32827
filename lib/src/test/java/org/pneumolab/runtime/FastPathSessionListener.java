package org.pneumolab.runtime;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns the oneDNN fast path on for the whole test JVM before any test class loads ND4J, so
 * {@code mvn test} runs what users run: the build matching this CPU (the AVX-512 or AVX2 oneDNN
 * build, the generic one elsewhere) with DL4J's helpers on. Properties already passed with
 * {@code -DargLine} (as {@code bin/pneumo test} does) win.
 */
public final class FastPathSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        FastPath.Enablement e = FastPath.enable();
        System.err.println("[pneumo test] fast path: " + e.note() + "; DL4J helpers "
                + (e.helpersEnabled() ? "enabled" : "disabled"));
    }
}
