package org.pneumolab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The kernel's quiet start: rapaio's class-path lines are counted, everything else passes. */
class LabKernelTest {

    @Test
    void classPathLinesAreCountedAndDroppedOtherLinesPass() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LabKernel.ClassPathLineFilter filter = new LabKernel.ClassPathLineFilter(new PrintStream(sink, true, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(filter, true, StandardCharsets.UTF_8);
        out.println("Parsing classpath: /a/lib.jar;/a/dep.jar");
        out.println("Add /a/lib.jar to classpath");
        out.println("Add /a/dep.jar to classpath");
        out.println("WARNING: something that matters");
        out.print("no newline yet");
        out.flush();
        assertEquals(2, filter.added());
        assertEquals("WARNING: something that matters" + System.lineSeparator() + "no newline yet",
                sink.toString(StandardCharsets.UTF_8));
    }
}
