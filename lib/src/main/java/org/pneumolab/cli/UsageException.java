package org.pneumolab.cli;

/** Bad command-line arguments: the message says which and the usage is printed. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
