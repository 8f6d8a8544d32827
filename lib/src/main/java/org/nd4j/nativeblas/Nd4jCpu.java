package org.nd4j.nativeblas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Compatibility shim for a broken check in Deeplearning4j 1.0.0-M2.1: not the real binding.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} (M2.1) asks, by
 * reflection through {@code DL4JClassLoading.loadClassByName}, for the class
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, calls its static {@code getInstance()} and then
 * the instance method {@code isUseMKLDNN()}. ND4J M2.1 moved that binding to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method to
 * {@code isUseONEDNN()}. The lookup therefore fails, DL4J records the failure for the life of the
 * JVM, and every oneDNN layer helper ({@code MKLDNNConvHelper}, batch norm, subsampling, LRN) is
 * discarded by {@code HelperUtils.createHelper} because its {@code checkSupported()} returns false.
 *
 * <p>This class sits at the old name with exactly the two methods the reflection needs, and
 * forwards them to the real binding. The real binding is reached by method handles, not a direct
 * reference, so lib still compiles and loads with the CUDA backend (where the class is absent and
 * DL4J never asks, because it checks for the CPU backend first).
 */
public final class Nd4jCpu {
    private static final String REAL_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    private Nd4jCpu() {
    }

    /** The old {@code Nd4jCpu.Environment}: a view of the native environment singleton. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** Called reflectively by {@code BaseMKLDNNHelper.mklDnnEnabled()}. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Called reflectively by {@code BaseMKLDNNHelper.mklDnnEnabled()}: whether the loaded
         * native build uses oneDNN (false in the generic build, which has no oneDNN).
         *
         * @throws IllegalStateException when the ND4J CPU binding is not on the class path
         */
        public boolean isUseMKLDNN() {
            try {
                return (boolean) RealBinding.IS_USE_ONEDNN.invoke(RealBinding.instance());
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("cannot query " + REAL_ENVIRONMENT + ".isUseONEDNN()", t);
            }
        }
    }

    /** Resolved on first use only, so merely loading this class never touches native code. */
    private static final class RealBinding {
        static final MethodHandle GET_INSTANCE;
        static final MethodHandle IS_USE_ONEDNN;

        static {
            try {
                Class<?> env = Class.forName(REAL_ENVIRONMENT, true, Nd4jCpu.class.getClassLoader());
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                GET_INSTANCE = lookup.findStatic(env, "getInstance", MethodType.methodType(env));
                IS_USE_ONEDNN = lookup.findVirtual(env, "isUseONEDNN", MethodType.methodType(boolean.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("ND4J CPU binding " + REAL_ENVIRONMENT + " not found: "
                        + "is nd4j-native (not the CUDA backend) on the class path?", e);
            }
        }

        static Object instance() throws Throwable {
            return GET_INSTANCE.invoke();
        }
    }
}
