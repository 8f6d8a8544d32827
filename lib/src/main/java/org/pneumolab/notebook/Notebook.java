package org.pneumolab.notebook;

/**
 * Where lib's output goes. The kernelspec installed by {@code bin/pneumo} starts the kernel JVM
 * with {@code -Dpneumolab.notebook=true}; everywhere else (CLI, tests) output is plain text.
 */
public final class Notebook {
    public static final String PROPERTY = "pneumolab.notebook";

    private Notebook() {
    }

    /** True inside the pneumonia-lab Jupyter kernel, where rich display is available. */
    public static boolean isActive() {
        return Boolean.getBoolean(PROPERTY) && KernelBridge.available();
    }

    /**
     * Shows {@code value} in the current cell and returns a handle that can replace it in place.
     * Outside a notebook the value's text form is printed once and updates print nothing, so
     * headless runs stay readable.
     */
    public static DisplayHandle display(Object value) {
        if (isActive()) {
            return new DisplayHandle(KernelBridge.display(value));
        }
        if (value instanceof RendersAsHtml || value instanceof RendersAsImage) {
            System.out.println(value);
        } else if (value != null) {
            System.out.println(value);
        }
        return new DisplayHandle(null);
    }

    /** Shows an HTML fragment (in a notebook) or its tag-stripped text (elsewhere). */
    public static DisplayHandle html(String html) {
        if (isActive()) {
            return new DisplayHandle(KernelBridge.displayHtml(html));
        }
        System.out.println(Html.toPlainText(html));
        return new DisplayHandle(null);
    }
}
