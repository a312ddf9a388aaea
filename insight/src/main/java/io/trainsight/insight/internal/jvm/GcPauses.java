package io.trainsight.insight.internal.jvm;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's garbage-collection pauses, joined to training steps. Each collector's notifications
 * ({@link GarbageCollectionNotificationInfo}: the pause's start, duration and collector) arrive on
 * the JVM's service thread into a small ring; at the end of each step the training thread reads the
 * collectors' counts, which the JVM updates before the application resumes, so every pause that
 * ended before the step did is accounted even when its notification has not arrived yet (its time
 * then comes from the collector's total). A pause that fell between two steps (while listeners ran)
 * is not counted against either. Times have the millisecond resolution of the JVM's GC records.
 *
 * <p>Concurrent cycles (ZGC's and Shenandoah's {@code Cycles}, G1's {@code Concurrent GC}) are not
 * pauses and are left out. {@link #close()} removes the listeners.
 */
public final class GcPauses implements AutoCloseable {

    private static final int RING = 256;
    private static final long MILLIS = 1_000_000L;

    private final List<Collector> collectors = new ArrayList<>();
    private volatile long originNanos = Long.MAX_VALUE;
    private final NotificationListener listener = this::notified;
    private final long[] ringId = new long[RING];
    private final int[] ringCollector = new int[RING];
    private final long[] ringStart = new long[RING];
    private final long[] ringDuration = new long[RING];
    private final long[] counts;
    private final long[] notifiedMillis;
    private final long[] notifiedCount;
    private volatile long written;
    private long read;
    private long pauseNanos;
    private int pauses;
    private long longestNanos;
    private String longestCollector;

    /** One collector that pauses the application. */
    private static final class Collector {
        final GarbageCollectorMXBean bean;
        final String name;
        long accountedCount;
        long accountedMillis;

        Collector(GarbageCollectorMXBean bean) {
            this.bean = bean;
            this.name = bean.getName();
            this.accountedCount = bean.getCollectionCount();
            this.accountedMillis = bean.getCollectionTime();
        }
    }

    /** Starts listening to the JVM's collectors. */
    public GcPauses() {
        this(ManagementFactory.getGarbageCollectorMXBeans());
    }

    GcPauses(List<GarbageCollectorMXBean> beans) {
        for (GarbageCollectorMXBean bean : beans) {
            if (!pauses(bean.getName())) {
                continue;
            }
            collectors.add(new Collector(bean));
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
        counts = new long[collectors.size()];
        notifiedMillis = new long[collectors.size()];
        notifiedCount = new long[collectors.size()];
    }

    /** Tells whether a collector's records are pauses (not concurrent cycles). */
    static boolean pauses(String collector) {
        return !collector.contains("Cycles") && !collector.contains("Concurrent");
    }

    /** Returns the names of the collectors whose pauses are counted. */
    public List<String> collectorNames() {
        return collectors.stream().map(c -> c.name).toList();
    }

    private void notified(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        if (info.getGcAction() != null && info.getGcAction().contains("concurrent")) {
            return;
        }
        long received = System.nanoTime();
        GcInfo gc = info.getGcInfo();
        for (int c = 0; c < collectors.size(); c++) {
            if (collectors.get(c).name.equals(info.getGcName())) {
                record(c, gc.getId(), gc.getStartTime(), gc.getDuration(), received);
                return;
            }
        }
    }

    /**
     * Adds a pause to the ring; notifications of all collectors come on one thread.
     *
     * @param collector the collector's position
     * @param id the collector's count after the pause
     * @param startMillis the pause's start on the JVM's GC clock
     * @param durationMillis its duration
     * @param receivedNanos when the notification arrived, on {@link System#nanoTime()}
     */
    synchronized void record(
            int collector, long id, long startMillis, long durationMillis, long receivedNanos) {
        long origin = receivedNanos - (startMillis + durationMillis) * MILLIS;
        if (origin < originNanos) {
            originNanos = origin;
        }
        int slot = (int) (written % RING);
        ringId[slot] = id;
        ringCollector[slot] = collector;
        ringStart[slot] = startMillis;
        ringDuration[slot] = durationMillis;
        written = written + 1;
    }

    /**
     * Accounts the pauses that ended before a step did; call once per step, in order, on one
     * thread, after the step ended. The results are read with {@link #pauseNanos()} and the others.
     *
     * @param startNanos the step's start
     * @param endNanos the step's end
     */
    public void step(long startNanos, long endNanos) {
        pauseNanos = 0;
        pauses = 0;
        longestNanos = 0;
        longestCollector = null;
        for (int c = 0; c < counts.length; c++) {
            counts[c] = collectors.get(c).bean.getCollectionCount();
            notifiedMillis[c] = 0;
            notifiedCount[c] = 0;
        }
        long available = written;
        long origin = originNanos;
        if (available - read > RING) {
            read = available - RING;
        }
        for (; read < available; read++) {
            int slot = (int) (read % RING);
            int c = ringCollector[slot];
            Collector collector = collectors.get(c);
            long id = ringId[slot];
            if (id <= collector.accountedCount) {
                continue; // accounted from the totals already
            }
            if (id > counts[c]) {
                break; // newer than this step's count: the next step accounts it
            }
            notifiedCount[c]++;
            notifiedMillis[c] += ringDuration[slot];
            // Between the steps (listener time) unless it ends after this step's start; the
            // records are whole milliseconds, so allow one.
            long pauseStart = origin + ringStart[slot] * MILLIS;
            long pauseEnd = pauseStart + ringDuration[slot] * MILLIS;
            if (pauseEnd + MILLIS > startNanos && pauseStart < endNanos + MILLIS) {
                count(c, ringDuration[slot] * MILLIS);
            }
        }
        for (int c = 0; c < counts.length; c++) {
            Collector collector = collectors.get(c);
            long missing = counts[c] - collector.accountedCount - notifiedCount[c];
            long millis = collector.bean.getCollectionTime();
            if (missing > 0) {
                // not notified yet: the collector's total time says how long they took
                long unexplained =
                        Math.max(0, millis - collector.accountedMillis - notifiedMillis[c]);
                for (long k = 0; k < missing; k++) {
                    count(c, unexplained * MILLIS / missing);
                }
            }
            collector.accountedCount = counts[c];
            collector.accountedMillis = millis;
        }
    }

    private void count(int collector, long durationNanos) {
        pauseNanos += durationNanos;
        pauses++;
        if (durationNanos >= longestNanos) {
            longestNanos = durationNanos;
            longestCollector = collectors.get(collector).name;
        }
    }

    /** Returns the pause time inside the last step given to {@link #step}. */
    public long pauseNanos() {
        return pauseNanos;
    }

    /** Returns the number of pauses inside the last step. */
    public int pauses() {
        return pauses;
    }

    /** Returns the longest pause inside the last step, 0 for none. */
    public long longestNanos() {
        return longestNanos;
    }

    /** Returns the collector of the longest pause inside the last step, or null. */
    public String longestCollector() {
        return longestCollector;
    }

    @Override
    public void close() {
        for (Collector collector : collectors) {
            if (collector.bean instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (ListenerNotFoundException e) {
                    // already removed
                }
            }
        }
    }
}
