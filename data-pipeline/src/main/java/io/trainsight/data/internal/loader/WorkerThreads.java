package io.trainsight.data.internal.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loader's threads: daemon threads named {@code trainsight-loader-N}, started together and
 * stopped together. Stopping interrupts them and waits for them to end.
 */
final class WorkerThreads {

    /** The prefix of every loader thread's name. */
    static final String NAME_PREFIX = "trainsight-loader-";

    private static final Logger logger = LoggerFactory.getLogger(WorkerThreads.class);
    private static final long JOIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts threads running the same task.
     *
     * @param count how many threads
     * @param suffix what follows the name prefix; the thread number is appended when {@code count >
     *     1} or the suffix is empty
     * @param task what each thread runs
     * @return the started threads
     */
    static WorkerThreads start(int count, String suffix, Runnable task) {
        WorkerThreads workers = new WorkerThreads();
        for (int i = 0; i < count; i++) {
            String name = NAME_PREFIX + suffix + (suffix.isEmpty() || count > 1 ? i : "");
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            workers.threads.add(thread);
        }
        workers.threads.forEach(Thread::start);
        return workers;
    }

    /**
     * Interrupts the threads and waits for them to end. A thread stuck in code that ignores
     * interrupts is waited for up to 30 seconds, then left behind with a warning naming it.
     */
    void stop() {
        for (Thread thread : threads) {
            if (thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
        long deadline = System.nanoTime() + JOIN_LIMIT_NANOS;
        boolean interrupted = false;
        for (Thread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            while (thread.isAlive()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    logger.warn(
                            "Loader thread {} did not stop within 30 s of being interrupted; it"
                                    + " is left running as a daemon",
                            thread.getName());
                    break;
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
