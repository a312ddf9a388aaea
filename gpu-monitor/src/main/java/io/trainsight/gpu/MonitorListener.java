package io.trainsight.gpu;

/** Receives the monitor's {@link MonitorEvent}s. Must return quickly: it may run on the sampler. */
@FunctionalInterface
public interface MonitorListener {

    /**
     * Called once per event.
     *
     * @param event the event
     */
    void onEvent(MonitorEvent event);
}
