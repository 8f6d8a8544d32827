package org.rapaio.jupyter.kernel.channels;

/**
 * Replaces rapaio-jupyter-kernel 3.0.1's own {@code LoopThread} on the kernel's class path (lib's
 * jar comes before the kernel's there, see {@code tools/setup.sh}).
 *
 * <p>Why: the original {@code start()} calls {@code super.start()} and only then sets
 * {@code running = true}. When the new thread reaches {@code while (running)} first, it ends at
 * once. For the shell channel that is a kernel whose sockets are bound but which never answers a
 * request; for the heartbeat channel, whose thread {@code main} joins, a kernel that exits
 * silently. Both were seen here in about one start in ten. Setting the flag before the thread
 * starts closes the race; everything else behaves as the original.
 */
public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
