/*
 * Derived from rapaio-jupyter-kernel 3.0.1 (MIT License, Copyright 2023 Aurelian Tutuianu);
 * changes by the pneumonia lab are described below. The MIT notice travels with this file:
 * permission is granted, free of charge, to deal in the Software without restriction, subject to
 * including the copyright and this permission notice; THE SOFTWARE IS PROVIDED "AS IS", WITHOUT
 * WARRANTY OF ANY KIND.
 */
package org.rapaio.jupyter.kernel.channels;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.pneumolab.notebook.CellInterrupt;
import org.rapaio.jupyter.kernel.GeneralProperties;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.LanguageInfo;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Header;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.IOPubStream;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteReply;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply;
import org.rapaio.org.zeromq.ZMQ;

/**
 * Replaces rapaio-jupyter-kernel 3.0.1's {@code Channels} on the kernel's class path (lib's jar
 * comes first there, as for {@link LoopThread}). Same public methods; three races fixed:
 *
 * <ul>
 * <li>No request meets a missing handler. The original bound the sockets before it filled its
 *     handler table, so a {@code kernel_info_request} that the server sends the moment it
 *     launches the kernel could meet a null table (NullPointerException in the shell thread) or
 *     an empty one ("Unhandled message: kernel_info_request"): the server then waited 60 s for a
 *     reply. Here the sockets may be bound early ({@link #bindEarly}): kernel_info is answered at
 *     once and every other request waits until {@link #connect} has the kernel's handlers.</li>
 * <li>The shell and control channels each have their own request context (parent message id and
 *     after-actions). The original shared one: an interrupt request, handled on the control thread
 *     while a cell ran on the shell thread, replaced the cell's parent id and ran the cell's
 *     pending actions (its reply, stream restore) on the control thread. The cell then never got
 *     its reply and the front end showed {@code In [*]} for good.</li>
 * <li>Control replies (interrupt, shutdown) go out on the control socket. The original sent them on
 *     the shell socket, where the router dropped them.</li>
 * <li>An interrupt marks the running cell ({@link CellInterrupt}), so one that arrives while JShell
 *     compiles the cell's next snippet still ends the cell.</li>
 * <li>Output (IOPub) is sent by one publisher thread, never by the thread that asked for it. A
 *     cell's own thread publishes (its prints, lib's progress bars and charts), and Kernel >
 *     Interrupt interrupts that thread: ZeroMQ's signalling pipes are NIO channels, which close
 *     when an interrupted thread touches them, and the send then failed with "Errno 4" (EINTR),
 *     ending the interrupted cell with that error instead of "interrupted".</li>
 * <li>An execute request that ends in error (an interrupt too) aborts the execute requests queued
 *     behind it, as IPython's kernel does ({@link StopOnError}): Run All stops at that cell.</li>
 * </ul>
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class Channels {
    private static final Logger LOGGER = Logger.getLogger(Channels.class.getSimpleName());

    /** The parent message and the actions to run when its handler is done. */
    private static final class RequestContext {
        volatile MessageId<?> msgId;
        final Deque<Runnable> afterActions = new ArrayDeque<>();
    }

    /** Set on the control channel's thread only (see {@link ControlChannel}). */
    private static final ThreadLocal<RequestContext> CONTROL = new ThreadLocal<>();

    private final ConnectionProperties connProps;
    private final ZMQ.Context ctx;

    private final HeartbeatChannel heartbeat;
    private final ShellChannel shell;
    private final ControlChannel control;
    private final StdinChannel stdin;
    private final IOPubChannel iopub;

    private final Set<AbstractChannel> channels;
    // Shell requests, and everything a running cell does from other threads (display, output).
    private final RequestContext shellContext = new RequestContext();
    private final RequestContext controlContext = new RequestContext();
    private final Map<MessageType<?>, MessageHandler> handlers = new ConcurrentHashMap<>();
    private final StopOnError stopOnError = new StopOnError();
    private volatile Thread shellThread;

    private final CountDownLatch kernelReady = new CountDownLatch(1);
    private volatile Thread publisherThread;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "IOPub-publisher");
        t.setDaemon(true);
        publisherThread = t;
        return t;
    });
    private volatile boolean bound = false;
    private volatile boolean isConnected = false;
    private volatile boolean requestShutdown = false;

    public Channels(ConnectionProperties connProps) throws NoSuchAlgorithmException, InvalidKeyException {
        this.connProps = connProps;
        ctx = ZMQ.context(1);

        HMACDigest hmacDigest = connProps.createHMACDigest();

        heartbeat = new HeartbeatChannel(this, ctx, hmacDigest);
        shell = new ShellChannel(this, ctx, hmacDigest, this);
        control = new ControlChannel(this, ctx, hmacDigest);
        stdin = new StdinChannel(this, ctx, hmacDigest);
        iopub = new IOPubChannel(this, ctx, hmacDigest);

        channels = Set.of(heartbeat, shell, control, stdin, iopub);
    }

    /**
     * Binds the sockets before the kernel exists (see {@code org.pneumolab.notebook.LabKernel}):
     * a {@code kernel_info_request} is answered at once, every other request waits in its channel's
     * thread until {@link #connect} brings the kernel. JShell takes seconds to build (longer on a
     * busy machine), and Jupyter counts a kernel as started when it answers kernel_info.
     */
    public synchronized void bindEarly() {
        if (bound) {
            return;
        }
        // IOPub first, so the "starting" status is not sent into an unbound socket.
        iopub.bind(connProps);
        iopub.sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        for (AbstractChannel c : channels) {
            if (c != iopub) {
                c.bind(connProps);
            }
        }
        bound = true;
    }

    public synchronized void connect(RapaioKernel kernel) {
        if (isConnected) {
            return;
        }
        // Everything a request needs is in place before a request is handled.
        kernel.registerChannels(this);
        handlers.put(MessageType.SHELL_EXECUTE_REQUEST, message -> {
            stopOnError.executeStarted(((Message<ShellExecuteRequest>) message).content());
            shellThread = Thread.currentThread();
            // Scheduled first, so it runs last: after the reply, the stream restore and the idle status.
            scheduleAfter(this::abortTakenRequests);
            // An interrupt applies to the whole cell, also when it lands between two of its
            // snippets (while JShell compiles the next one): CellInterrupt knows when a cell runs.
            CellInterrupt.beginCell();
            try {
                kernel.handleExecuteRequest(message);
            } finally {
                CellInterrupt.endCell();
            }
        });
        handlers.put(MessageType.SHELL_INSPECT_REQUEST, kernel::handleInspectRequest);
        handlers.put(MessageType.SHELL_COMPLETE_REQUEST, kernel::handleCompleteRequest);
        handlers.put(MessageType.SHELL_HISTORY_REQUEST, kernel::handleHistoryRequest);
        handlers.put(MessageType.SHELL_IS_COMPLETE_REQUEST, kernel::handleIsCompleteRequest);
        handlers.put(MessageType.SHELL_KERNEL_INFO_REQUEST, kernel::handleKernelInfoRequest);
        handlers.put(MessageType.CONTROL_SHUTDOWN_REQUEST, kernel::handleShutdownRequest);
        handlers.put(MessageType.CONTROL_INTERRUPT_REQUEST, message -> {
            // The running execution first: its thread is interrupted before the flag goes up, so
            // lib's checkpoint, which clears the interrupt status as it throws, never runs ahead
            // of it. Then the cell, for an interrupt that lands between two of its snippets.
            kernel.handleInterruptRequest(message);
            CellInterrupt.requestIfRunning();
        });
        handlers.put(MessageType.CUSTOM_COMM_OPEN, kernel::handleCommOpenCommand);
        handlers.put(MessageType.CUSTOM_COMM_MSG, kernel::handleCommMsgCommand);
        handlers.put(MessageType.CUSTOM_COMM_CLOSE, kernel::handleCommCloseCommand);
        handlers.put(MessageType.SHELL_COMM_INFO_REQUEST, kernel::handleCommInfoRequest);
        isConnected = true;
        kernelReady.countDown();
        bindEarly();
    }

    public <T> MessageHandler<T> getHandler(MessageType<T> type) {
        if (isConnected) {
            return handlers.get(type);
        }
        if (type == MessageType.SHELL_KERNEL_INFO_REQUEST) {
            return message -> {
                busyThenIdle();
                reply(earlyKernelInfo());
            };
        }
        // Handled on the channel's own thread once the kernel is there; later requests queue behind it.
        return message -> {
            try {
                kernelReady.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            MessageHandler<T> handler = handlers.get(type);
            if (handler != null) {
                handler.handle(message);
            }
        };
    }

    /**
     * An execute request is answered with an error: with {@code stop_on_error}, the requests already
     * waiting on the shell socket are taken off it now, before the reply goes out
     * ({@link StopOnError#errorReplied}). Only on the shell thread, the one that reads that socket.
     */
    private void takeWaitingOnError() {
        if (Thread.currentThread() != shellThread) {
            return;
        }
        ZMQ.Poller poller = ctx.poller(1);
        try {
            poller.register(shell.socket, ZMQ.Poller.POLLIN);
            stopOnError.errorReplied(() -> poller.poll(0) > 0 ? shell.readMessage() : null);
        } finally {
            poller.close();
        }
    }

    /** The last after-action of an execute request: the requests taken on its error, aborted or handled. */
    private void abortTakenRequests() {
        int aborted = stopOnError.afterExecute(this::abortExecuteRequest, this::handleShellRequest);
        if (aborted > 0) {
            LOGGER.info("aborted " + aborted + " queued execute request(s) after an error (stop_on_error)");
        }
    }

    /** ipykernel's {@code _send_abort_reply}: busy, the "aborted" reply, idle; nothing runs. */
    private void abortExecuteRequest(Message<?> request) {
        setMsgId(request.getId());
        try {
            publish(IOPubStatus.BUSY);
            shell.sendMessage(StopOnError.abortedReply(request.getId()));
            publish(IOPubStatus.IDLE);
        } finally {
            freeMsgId();
        }
    }

    /** A waiting request that is not aborted, handled as rapaio's shell loop handles one. */
    private void handleShellRequest(Message<?> request) {
        MessageHandler handler = getHandler(request.header().type());
        if (handler == null) {
            LOGGER.severe("Unhandled message: " + request.header().type().name());
            return;
        }
        setMsgId(request.getId());
        try {
            handler.handle(request);
        } catch (Exception e) {
            LOGGER.log(Level.SEVERE, "Exception handling " + request.header().type().name(), e);
        } finally {
            runAfterActions();
        }
    }

    /** What RapaioKernel's kernel_info reply says, built without the kernel. */
    private static ShellKernelInfoReply earlyKernelInfo() {
        GeneralProperties properties = new GeneralProperties("default");
        LanguageInfo languageInfo = LanguageInfo.kernelLanguageInfo();
        return new ShellKernelInfoReply(Header.PROTOCOL_VERSION, properties.getKernelName(),
                properties.getKernelVersion(), languageInfo, languageInfo.name() + " " + languageInfo.version(),
                List.of(new LanguageInfo.Help("rapaio-jupyter-kernel homepage",
                        "https://github.com/padreati/rapaio-jupyter-kernel")));
    }

    /** Called by {@link ControlChannel}'s thread before its loop: its requests get their own context. */
    void enterControlThread() {
        CONTROL.set(controlContext);
    }

    private RequestContext current() {
        RequestContext c = CONTROL.get();
        return c != null ? c : shellContext;
    }

    private boolean onControlThread() {
        return CONTROL.get() != null;
    }

    public void close() {
        publisher.shutdown();
        channels.forEach(AbstractChannel::close);
        ctx.close();
    }

    public void joinUntilClose() {
        channels.forEach(AbstractChannel::joinUntilClose);
    }

    public boolean hasMsgId() {
        return current().msgId != null;
    }

    public void setMsgId(MessageId<?> msgId) {
        current().msgId = msgId;
    }

    public void freeMsgId() {
        current().msgId = null;
    }

    public void markForShutdown() {
        requestShutdown = true;
    }

    public boolean isMarkedForShutdown() {
        return requestShutdown;
    }

    public void writeToStdOut(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.OUT, msg));
    }

    public void writeToStdErr(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.ERR, msg));
    }

    public String readFromStdIn() {
        return stdin.getInput(current().msgId, "", false);
    }

    public <T extends ContentType<T>> void publish(T content) {
        // The message (its parent id) is made on the caller's thread, whose context it belongs to.
        Message<T> message = new Message<>(current().msgId, content.type(), content);
        if (Thread.currentThread() == publisherThread || publisher.isShutdown()) {
            iopub.sendMessage(message);
            return;
        }
        Future<?> sent = publisher.submit(() -> iopub.sendMessage(message));
        // Waits for the send (output stays in order with everything else the caller does), also
        // when the caller is interrupted meanwhile: its interrupt status is kept for its own code.
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    sent.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public <T extends ContentType<T>> void reply(T content) {
        if (content instanceof ShellExecuteReply r && r.status() == ShellExecuteReply.Status.ERROR && !onControlThread()) {
            takeWaitingOnError();
        }
        replySocket().sendMessage(new Message<>(current().msgId, content.type(), content));
    }

    public void replyError(MessageType<?> type, ErrorReply error) {
        if (!onControlThread()) {
            // while an execute request runs, the shell's error reply is its reply (rapaio's one error path)
            takeWaitingOnError();
        }
        replySocket().sendMessage(new Message(current().msgId, type, error));
    }

    private AbstractChannel replySocket() {
        return onControlThread() ? control : shell;
    }

    public void scheduleAfter(Runnable action) {
        Deque<Runnable> actions = current().afterActions;
        synchronized (actions) {
            actions.push(action);
        }
    }

    public void runAfterActions() {
        Deque<Runnable> actions = current().afterActions;
        while (true) {
            Runnable next;
            synchronized (actions) {
                next = actions.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    public void busyThenIdle() {
        publish(IOPubStatus.BUSY);
        scheduleAfter(() -> publish(IOPubStatus.IDLE));
    }
}
