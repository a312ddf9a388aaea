package io.trainsight.data.internal.loader;

import ai.djl.training.dataset.Batch;
import java.util.function.LongSupplier;

/**
 * Batches built on the consumer's own thread when it asks for them ({@code numWorkers = 0}): no
 * thread, no prefetch; the consumer waits for the whole load.
 */
final class InlineSource implements BatchSource {

    private final BatchMaker maker;
    private final LongSupplier ticker;
    private long next;
    private long end;
    private boolean closed;

    /**
     * Creates a source.
     *
     * @param maker builds a batch
     * @param start the first batch index
     * @param end the index after the last batch, or {@link Long#MAX_VALUE} while unknown
     * @param ticker the clock the load time is measured with
     */
    InlineSource(BatchMaker maker, long start, long end, LongSupplier ticker) {
        this.maker = maker;
        this.ticker = ticker;
        this.next = start;
        this.end = end;
    }

    @Override
    public Slot take() {
        if (closed) {
            throw new IllegalStateException("The epoch's loader is closed");
        }
        if (next >= end) {
            return null;
        }
        long start = ticker.getAsLong();
        BatchJob job = null;
        Batch batch;
        try {
            job = maker.job(next, 1);
            job.load(0);
            batch = job.finish();
        } catch (RuntimeException | Error e) {
            if (job != null) {
                job.abandon();
            }
            throw BatchMaker.failure(next, e);
        }
        if (batch == null) {
            job.abandon();
            end = next;
            return null;
        }
        long ready = ticker.getAsLong();
        return new Slot(next++, batch, ready - start, ready);
    }

    @Override
    public long position() {
        return next;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            maker.close();
        }
    }
}
