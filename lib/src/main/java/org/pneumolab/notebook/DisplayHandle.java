package org.pneumolab.notebook;

/** A display slot in a notebook cell that can be replaced in place (no-op outside a notebook). */
public final class DisplayHandle {
    private final String id;

    DisplayHandle(String id) {
        this.id = id;
    }

    /** Replaces the slot's content with {@code value}, rendered like {@link Notebook#display}. */
    public void update(Object value) {
        if (id != null) {
            KernelBridge.update(id, value);
        }
    }

    /** Replaces the slot's content with an HTML fragment. */
    public void updateHtml(String html) {
        if (id != null) {
            KernelBridge.updateHtml(id, html);
        }
    }

    public boolean isLive() {
        return id != null;
    }
}
