package org.pneumolab.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.pneumolab.runtime.NativeThreads;

/**
 * Prepares the next batches on background threads while the model trains on the current one.
 * Batches come back in order; at most {@code depth} are in flight (bounding memory). Daemon
 * threads, so a notebook that forgets to close an iterator does not keep the JVM alive.
 */
final class BatchPrefetcher<T> implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService pool;
    private final int depth;
    private final Deque<Future<T>> inFlight = new ArrayDeque<>();
    private List<Callable<T>> tasks = List.of();
    private int nextToSubmit;

    BatchPrefetcher(int threads, int depth) {
        if (threads < 1 || depth < 1) {
            throw new IllegalArgumentException("threads and depth must be >= 1, got " + threads + ", " + depth);
        }
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            // A new thread starts with OpenMP's default count, not the process's policy: apply it.
            Thread t = new Thread(() -> {
                NativeThreads.apply();
                r.run();
            }, "pneumolab-prefetch-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.depth = depth;
    }

    /** Starts a new pass over {@code tasks}, cancelling whatever the previous pass had in flight. */
    synchronized void start(List<Callable<T>> newTasks) {
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
        tasks = newTasks;
        nextToSubmit = 0;
        fill();
    }

    synchronized boolean hasNext() {
        return !inFlight.isEmpty();
    }

    /** The next batch in order; its task's exception is rethrown unwrapped when unchecked. */
    T next() {
        Future<T> f;
        synchronized (this) {
            f = inFlight.poll();
            if (f == null) {
                throw new java.util.NoSuchElementException("no more batches in this pass");
            }
            fill();
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("preparing a batch failed: " + e.getCause(), e.getCause());
        }
    }

    private void fill() {
        while (inFlight.size() < depth && nextToSubmit < tasks.size()) {
            inFlight.add(pool.submit(tasks.get(nextToSubmit++)));
        }
    }

    @Override
    public synchronized void close() {
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
        pool.shutdownNow();
    }
}
