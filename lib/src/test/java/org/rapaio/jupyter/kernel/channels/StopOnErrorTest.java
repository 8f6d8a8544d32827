package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoRequest;

/**
 * ipykernel's stop_on_error at the message level: which failed requests abort the queue, which
 * waiting requests are aborted (execute requests only, those waiting when the error's reply went
 * out), and the aborted reply as it goes on the wire.
 */
class StopOnErrorTest {
    private static Message<ShellExecuteRequest> execute(String code, boolean silent, boolean stopOnError) {
        return new Message<>(MessageType.SHELL_EXECUTE_REQUEST,
                new ShellExecuteRequest(code, silent, !silent, Map.of(), false, stopOnError));
    }

    /** What a request's error reply takes from {@code waiting}, and what then happens to it. */
    private static List<String> fail(Message<ShellExecuteRequest> running, Deque<Message<?>> socket, boolean error) {
        StopOnError s = new StopOnError();
        s.executeStarted(running.content());
        if (error) {
            s.errorReplied(socket::poll);
        }
        List<String> done = new ArrayList<>();
        int aborted = s.afterExecute(m -> done.add("aborted " + code(m)), m -> done.add("handled " + m.header().type().name()));
        assertEquals(done.stream().filter(d -> d.startsWith("aborted")).count(), aborted);
        return done;
    }

    @Test
    void onlyAFailedNonSilentRequestThatAsksForItAbortsTheQueue() {
        Message<?> b = execute("int b = 1;", false, true);
        assertEquals(List.of("aborted int b = 1;"),
                fail(execute("throw new RuntimeException();", false, true), new ArrayDeque<>(List.of(b)), true));
        Deque<Message<?>> socket = new ArrayDeque<>(List.of(b));
        assertEquals(List.of(), fail(execute("1", false, true), socket, false), "no error");
        assertEquals(List.of(), fail(execute("x", false, false), socket, true), "stop_on_error false");
        assertEquals(List.of(), fail(execute("x", true, true), socket, true), "silent");
        assertEquals(List.of(b), List.copyOf(socket), "left for the shell loop, which runs it");
    }

    @Test
    void theExecuteRequestsWaitingAtTheErrorAreAbortedAndTheRestHandledInOrder() {
        Message<?> b = execute("int b = 1;", false, true);
        Message<?> info = new Message<>(MessageType.SHELL_KERNEL_INFO_REQUEST, new ShellKernelInfoRequest());
        Message<?> c = execute("int c = 1;", false, true);
        Message<?> next = execute("int d = 1;", false, true);
        Deque<Message<?>> socket = new ArrayDeque<>(List.of(b, info, c));
        StopOnError s = new StopOnError();
        s.executeStarted(execute("Thread.sleep(60_000);", false, true).content());
        s.errorReplied(socket::poll);
        s.errorReplied(socket::poll); // a second error reply of the same request takes nothing more
        socket.add(next); // sent by the front end on seeing the error's reply: not part of the queue
        List<String> done = new ArrayList<>();
        assertEquals(2, s.afterExecute(m -> done.add("aborted " + code(m)), m -> done.add("handled " + m.header().type().name())));
        assertEquals(List.of("aborted int b = 1;", "handled " + MessageType.SHELL_KERNEL_INFO_REQUEST.name(),
                "aborted int c = 1;"), done);
        assertEquals(List.of(next), List.copyOf(socket), "a request sent after the error's reply runs");
        assertEquals(0, s.afterExecute(m -> done.add("?"), m -> done.add("?")), "taken once");
    }

    @Test
    void theAbortedReplyIsAnExecuteReplyToItsRequestWithStatusAborted() {
        Message<?> request = execute("int b = 1;", false, true);
        Message<?> reply = StopOnError.abortedReply(request.getId());
        assertEquals(MessageType.SHELL_EXECUTE_REPLY, reply.header().type());
        assertSame(request.header(), reply.parentHeader());
        assertEquals(request.header().sessionId(), reply.header().sessionId());
        assertEquals("{\"status\":\"aborted\"}", Transform.toJson(reply.content()));
        assertEquals("aborted", reply.metadata().get("status"));
        assertTrue(Transform.toJson(reply.header()).contains("\"msg_type\":\"execute_reply\""), Transform.toJson(reply.header()));
    }

    @Test
    void stopOnErrorIsReadFromTheRequest() {
        String json = "{\"code\":\"1\",\"silent\":false,\"store_history\":true,\"user_expressions\":{},\"allow_stdin\":true,"
                + "\"stop_on_error\":%s}";
        assertTrue(Transform.fromJson(String.format(json, "true"), ShellExecuteRequest.class).stopOnError());
        assertFalse(Transform.fromJson(String.format(json, "false"), ShellExecuteRequest.class).stopOnError());
    }

    private static String code(Message<?> m) {
        return ((ShellExecuteRequest) m.content()).code();
    }
}
