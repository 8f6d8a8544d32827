package org.pneumolab.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMemory#trim} gives back what glibc keeps after {@code free}: 256 MB of 64 KB blocks,
 * touched, each followed by a small block still in use (so glibc cannot shrink its heap from the
 * top by itself), then freed, stay resident until the trim.
 */
class NativeMemoryTest {

    @Test
    void freedBlocksStayResidentUntilTheTrim() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc's malloc_trim");
        assumeTrue(NativeMemory.available(), "JavaCPP's trimMemory");
        int n = 4096;
        long block = 64 << 10; // under glibc's mmap threshold (128 KB): from the heap, not mmap
        Pointer[] blocks = new Pointer[n];
        Pointer[] pins = new Pointer[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = Pointer.malloc(block);
            Pointer.memset(blocks[i], 1, block); // resident, not just reserved
            pins[i] = Pointer.malloc(64); // a block in use after each: freed blocks cannot merge into the heap's top
        }
        try {
            long touched = Pointer.physicalBytes();
            for (Pointer p : blocks) {
                Pointer.free(p);
            }
            long freed = Pointer.physicalBytes();
            NativeMemory.Trim t = NativeMemory.trim();
            assertTrue(freed > touched - n * block / 4, "free() kept the blocks resident: " + touched + " then " + freed);
            assertTrue(t.returned() > n * block / 2, "the trim returned " + t.returned() + " of " + n * block + " bytes");
        } finally {
            for (Pointer p : pins) {
                Pointer.free(p);
            }
        }
    }
}
