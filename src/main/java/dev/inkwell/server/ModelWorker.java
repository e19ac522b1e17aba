package dev.inkwell.server;

import dev.inkwell.pipeline.StableDiffusion;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One loaded model and the one thread that runs its jobs (a model is not thread-safe), behind a
 * bounded queue: a full queue refuses new jobs instead of growing without limit.
 */
final class ModelWorker implements AutoCloseable {
    private final String name;
    private final StableDiffusion model;
    private final ThreadPoolExecutor executor;
    private volatile int step;
    private volatile int steps;
    private volatile long startedNanos;
    private volatile boolean busy;
    private volatile boolean interrupted;

    ModelWorker(String name, StableDiffusion model, int queue) {
        this.name = name;
        this.model = model;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queue)),
                r -> {
                    Thread t = new Thread(r, "inkwell-" + name);
                    t.setDaemon(true);
                    return t;
                });
    }

    String name() {
        return name;
    }

    StableDiffusion model() {
        return model;
    }

    /** A job that reports its steps through {@link #onStep} and stops when {@link #interrupted} says so. */
    <T> Future<T> submit(Callable<T> job) {
        try {
            return executor.submit(() -> {
                busy = true;
                interrupted = false;
                step = 0;
                steps = 0;
                startedNanos = System.nanoTime();
                try {
                    return job.call();
                } finally {
                    busy = false;
                }
            });
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                throw new BadRequest(503, "the server is shutting down");
            }
            throw new BadRequest(429, "the queue of " + name + " is full (" + executor.getQueue().size()
                    + " jobs waiting); try again shortly");
        }
    }

    void onStep(int done, int total) {
        step = done;
        steps = total;
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Stops the running job at its next step (it returns what it has). */
    void interrupt() {
        if (busy) {
            interrupted = true;
        }
    }

    /** {@code [progress in 0..1, eta seconds, queued jobs]} of the running job (zeros when idle). */
    double[] progress() {
        if (!busy || steps == 0) {
            return new double[] {0, 0, executor.getQueue().size()};
        }
        double done = (double) step / steps;
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        double eta = done <= 0 ? 0 : elapsed / done * (1 - done);
        return new double[] {done, eta, executor.getQueue().size()};
    }

    boolean busy() {
        return busy;
    }

    int waiting() {
        return executor.getQueue().size();
    }

    /**
     * Takes no new jobs and lets the accepted ones finish; after {@code grace} seconds the running one
     * is interrupted (it answers with what it has) and the waiting ones are dropped.
     */
    void drain(long grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace, TimeUnit.SECONDS)) {
                interrupted = true;
                executor.shutdownNow();
                executor.awaitTermination(grace, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #drain}s (60 s grace) and frees the model. */
    @Override
    public void close() {
        drain(60);
        model.close();
    }
}
