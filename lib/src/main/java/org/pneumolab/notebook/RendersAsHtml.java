package org.pneumolab.notebook;

/** A result that shows itself as an HTML fragment (a table, a report) in a notebook. */
public interface RendersAsHtml {
    String toHtml();
}
