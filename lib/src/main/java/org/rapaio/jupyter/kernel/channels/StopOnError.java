package org.rapaio.jupyter.kernel.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.rapaio.jupyter.kernel.message.Header;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;

/**
 * IPython's {@code stop_on_error}, which rapaio-jupyter-kernel 3.0.1 lacks: when an execute request
 * ends in error (an exception, a compile error, or Kernel &gt; Interrupt) and asked for it
 * ({@code stop_on_error}, true from every Jupyter front end; not for a {@code silent} request), the
 * execute requests already waiting on the shell socket are answered {@code {"status": "aborted"}}
 * and not run. So Run All stops at the failed or interrupted cell, as with the Python kernel,
 * instead of running the cells below it against a state that cell never made.
 *
 * <p>As ipykernel 6's {@code _abort_queues} (with its default {@code stop_on_error_timeout} of 0):
 * what is waiting when the error is answered is taken off the socket (here just before the reply
 * goes out, ipykernel just after: so a cell the front end sends on seeing the reply is never
 * caught), its execute requests are aborted and every other request (kernel info, completion,
 * comms) is handled as usual, in order; a request that arrives afterwards runs. Each aborted request gets its own busy and idle
 * status and a reply whose metadata also says {@code "status": "aborted"}, as ipykernel's
 * {@code _send_abort_reply} sends.
 *
 * <p>One difference: rapaio reads {@code stop_on_error} into a boolean, so a request that leaves it
 * out counts as false (the protocol's default is true). Jupyter's front ends and jupyter_client
 * always send it.
 */
final class StopOnError {
    static final String ABORTED = "aborted";

    // Used on the shell thread only (the request's handler and its after-actions run there).
    private ShellExecuteRequest running;
    private List<Message<?>> taken = List.of();

    /** An execute request begins: no error yet, nothing taken. */
    void executeStarted(ShellExecuteRequest request) {
        running = request;
        taken = List.of();
    }

    /**
     * The running execute request is answered with an error, its reply about to go out: when it
     * asked for it ({@code stop_on_error}, not {@code silent}), every request {@code waiting} has
     * now (the shell socket's, read without blocking) is taken off it. Taken before the reply, so
     * nothing the front end sends in answer to the reply (the next cell after a failed one) is
     * among them.
     */
    void errorReplied(Supplier<Message<?>> waiting) {
        if (running == null || !running.stopOnError() || running.silent()) {
            return;
        }
        running = null; // one error reply takes the queue once
        List<Message<?>> queued = new ArrayList<>();
        for (Message<?> m = waiting.get(); m != null; m = waiting.get()) {
            queued.add(m);
        }
        taken = queued;
    }

    /**
     * After the request's reply and idle status: the taken requests in their order, the execute
     * requests to {@code abort}, every other one to {@code handle}. Returns how many were aborted.
     */
    int afterExecute(Consumer<Message<?>> abort, Consumer<Message<?>> handle) {
        List<Message<?>> queued = taken;
        taken = List.of();
        running = null;
        int aborted = 0;
        for (Message<?> m : queued) {
            if (MessageType.SHELL_EXECUTE_REQUEST.equals(m.header().type())) {
                abort.accept(m);
                aborted++;
            } else {
                handle.accept(m);
            }
        }
        return aborted;
    }

    /** The {@code execute_reply} of an aborted request: status "aborted" in content and metadata. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> abortedReply(MessageId<?> request) {
        Map<String, Object> status = Map.of("status", ABORTED);
        return new Message(request.identities(), new Header<>(request, MessageType.SHELL_EXECUTE_REPLY), request.header(),
                status, status, null);
    }
}
