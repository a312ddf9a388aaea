package io.trainsight.data.internal.loader;

import ai.djl.training.dataset.Batch;
import java.util.function.LongSupplier;

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
    private final LongSupplier ticker;

    /**
     * Starts the workers.
     *
     * @param buffer hands out the shares and takes the built batches
     * @param maker the buffer's batch maker, closed with this source
     * @param workers how many threads build batches
     * @param nameSuffix what the threads' names carry after {@code trainsight-loader-}
     * @param ticker the clock load times are measured with (the buffer's too)
     */
    PrefetchingSource(
            ReadyBuffer buffer,
            BatchMaker maker,
            int workers,
            String nameSuffix,
            LongSupplier ticker) {
        this.buffer = buffer;
        this.maker = maker;
        this.ticker = ticker;
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
            Claim claim;
            try {
                claim = buffer.claim();
            } catch (InterruptedException e) {
                return; // closed while waiting for room
            }
            if (claim == null) {
                return;
            }
            long start = ticker.getAsLong();
            try {
                claim.job().load(claim.part());
            } catch (Throwable e) { // NOPMD: any failure must reach the consumer, not end silently
                buffer.fail(claim, BatchMaker.failure(claim.index(), e));
                continue;
            }
            if (buffer.loaded(claim, ticker.getAsLong() - start)) {
                collate(claim);
            }
        }
    }

    /** Collates a batch whose last share this worker loaded, and hands it over. */
    private void collate(Claim claim) {
        long start = ticker.getAsLong();
        Batch batch;
        try {
            batch = claim.job().finish();
        } catch (Throwable e) { // NOPMD: as above
            buffer.fail(claim, BatchMaker.failure(claim.index(), e));
            return;
        }
        if (batch == null) {
            buffer.end(claim);
        } else {
            buffer.put(claim, batch, ticker.getAsLong() - start);
        }
    }
}
