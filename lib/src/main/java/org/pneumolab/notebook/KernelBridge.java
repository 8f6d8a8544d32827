package org.pneumolab.notebook;

import org.rapaio.jupyter.kernel.global.Global;

/**
 * The only class that touches the kernel's API. It is loaded only when the kernel is present,
 * so the CLI and the tests run without the kernel jar on the class path.
 */
final class KernelBridge {
    private static final String HTML = "text/html";

    private KernelBridge() {
    }

    static boolean available() {
        try {
            // No initialisation: MainApp's static initialiser starts a kernel.
            Class.forName("org.rapaio.jupyter.kernel.global.Global", false, KernelBridge.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static String display(Object value) {
        return Global.display(value);
    }

    static String displayHtml(String html) {
        return Global.display(HTML, html);
    }

    static void update(String id, Object value) {
        Global.updateDisplay(id, value);
    }

    static void updateHtml(String id, String html) {
        Global.updateDisplay(id, HTML, html);
    }
}
