package io.trainsight.data.loader;

import ai.djl.training.dataset.Batch;

/**
 * Batches built ahead by worker threads: each worker claims the next batch index, builds it and
 * hands it to a {@link ReadyBuffer}, which the consumer takes from. A failure stops that worker and
 * is thrown to the consumer; closing stops every worker, waits for it, and frees the batches not
 * yet taken.
 */
final class PrefetchingSource implements BatchSource {

    private final ReadyBuffer buffer;
    private final BatchMaker maker;
    private final WorkerThreads threads;

    /**
     * Starts the workers.
     *
     * @param buffer where the built batches go
     * @param maker builds a batch; must be safe to call from {@code workers} threads at once
     * @param workers how many threads build batches
     * @param nameSuffix what the threads' names carry after {@code trainsight-loader-}
     */
    PrefetchingSource(ReadyBuffer buffer, BatchMaker maker, int workers, String nameSuffix) {
        this.buffer = buffer;
        this.maker = maker;
        this.threads = WorkerThreads.start(workers, nameSuffix, this::work);
    }

    @Override
    public Slot take() {
        return buffer.take();
    }

    @Override
    public long position() {
        return buffer.position();
    }

    @Override
    public void close() {
        buffer.close();
        threads.stop();
        maker.close();
    }

    private void work() {
        while (true) {
            long index;
            try {
                index = buffer.claim();
            } catch (InterruptedException e) {
                return; // closed while waiting for room
            }
            if (index < 0) {
                return;
            }
            long start = System.nanoTime();
            Batch batch;
            try {
                batch = maker.make(index);
            } catch (Throwable e) { // NOPMD: any failure must reach the consumer, not end silently
                buffer.fail(index, BatchMaker.failure(index, e));
                return;
            }
            if (batch == null) {
                buffer.finish(index);
                return;
            }
            buffer.put(index, batch, System.nanoTime() - start);
        }
    }
}
