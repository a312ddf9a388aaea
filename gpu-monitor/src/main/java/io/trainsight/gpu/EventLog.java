package io.trainsight.gpu;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each monitor event once (no GPU at INFO, the rest at WARN, an unsupported metric at INFO)
 * and passes it to the listeners; a listener that throws is logged and does not stop the others.
 */
final class EventLog implements MonitorListener {

    private static final Logger logger = LoggerFactory.getLogger(GpuMonitor.class);

    private final List<MonitorListener> listeners;

    EventLog(List<MonitorListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        if (event instanceof MonitorEvent.NoGpu
                || event instanceof MonitorEvent.MetricNotSupported) {
            logger.info("{}", event.describe());
        } else {
            logger.warn("{}", event.describe());
        }
        for (MonitorListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                logger.warn("A GPU monitor listener failed on: {}", event.describe(), e);
            }
        }
    }
}
