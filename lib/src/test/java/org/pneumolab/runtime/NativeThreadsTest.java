package org.pneumolab.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * {@link NativeThreads#withSmallStepThreads}: the work runs at {@link NativeThreads#smallStepCount()}
 * native threads (one, when no count is configured) and the calling thread gets its own count
 * back afterwards, also when the work throws.
 */
class NativeThreadsTest {

    private static NativeOps ops() {
        Nd4j.getEnvironment();
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }

    private static boolean configured() {
        String p = System.getProperty("pneumo.threads");
        String e = System.getenv("PNEUMO_THREADS");
        return (p != null && !p.isBlank()) || (e != null && !e.isBlank());
    }

    @Test
    void smallStepsRunAtOneThreadAndTheCallerGetsItsCountBack() {
        assumeTrue(!configured(), "PNEUMO_THREADS / pneumo.threads set: small steps take that count");
        NativeOps ops = ops();
        int before = ops.ompGetMaxThreads();
        try {
            ops.setOmpNumThreads(3);
            assertEquals(1, NativeThreads.smallStepCount());
            int inside = NativeThreads.withSmallStepThreads(ops::ompGetMaxThreads);
            assertEquals(1, inside, "the threads the work saw");
            assertEquals(3, ops.ompGetMaxThreads(), "the caller's count after the work");
        } finally {
            ops.setOmpNumThreads(before);
        }
    }

    @Test
    void theCallersCountComesBackWhenTheWorkThrows() {
        NativeOps ops = ops();
        int before = ops.ompGetMaxThreads();
        try {
            ops.setOmpNumThreads(3);
            assertThrows(IllegalStateException.class, () -> NativeThreads.withSmallStepThreads(() -> {
                throw new IllegalStateException("work failed");
            }));
            assertEquals(3, ops.ompGetMaxThreads());
        } finally {
            ops.setOmpNumThreads(before);
        }
    }
}
