package io.trainsight.gpu;

/**
 * Something the monitor reports once: a GPU lost, a metric a GPU does not support, no GPU at all.
 * Delivered to {@link MonitorListener}s on the thread that found it (usually the sampler's) and
 * logged once.
 */
public sealed interface MonitorEvent {

    /**
     * Describes the event in one line.
     *
     * @return the description
     */
    String describe();

    /**
     * No NVIDIA GPU can be sampled; the monitor samples the host only.
     *
     * @param reason why, in one sentence
     */
    record NoGpu(String reason) implements MonitorEvent {
        @Override
        public String describe() {
            return "No NVIDIA GPU to sample (" + reason + "); sampling the host only";
        }
    }

    /**
     * A GPU does not support a metric; it is no longer asked for it.
     *
     * @param gpu the GPU's index
     * @param metric what is not supported, such as {@code nvmlDeviceGetTotalEnergyConsumption}
     * @param message the driver's message
     */
    record MetricNotSupported(int gpu, String metric, String message) implements MonitorEvent {
        @Override
        public String describe() {
            return "GPU "
                    + gpu
                    + " does not support "
                    + metric
                    + " ("
                    + message
                    + "); it is left out from now on";
        }
    }

    /**
     * A metric failed in a tick for a reason other than not being supported; it is left out of that
     * tick and asked for again at the next one. Reported for the first failure only.
     *
     * @param gpu the GPU's index
     * @param metric what failed
     * @param message the driver's message
     */
    record MetricFailed(int gpu, String metric, String message) implements MonitorEvent {
        @Override
        public String describe() {
            return "GPU "
                    + gpu
                    + ": "
                    + metric
                    + " failed ("
                    + message
                    + "); left out of the ticks where it fails";
        }
    }

    /**
     * A GPU fell off the bus or stopped answering; it is no longer sampled, the others go on.
     *
     * @param gpu the GPU's index
     * @param uuid the GPU's UUID
     * @param message the driver's message
     */
    record GpuLost(int gpu, String uuid, String message) implements MonitorEvent {
        @Override
        public String describe() {
            return "GPU "
                    + gpu
                    + " ("
                    + uuid
                    + ") is lost ("
                    + message
                    + "); it is no longer sampled, the other GPUs go on";
        }
    }

    /**
     * A probe threw while sampling; the ticks where it fails miss some or all of its values.
     * Reported for the first failure of each probe only.
     *
     * @param probe the probe's class name
     * @param message the exception, in one line
     */
    record ProbeFailed(String probe, String message) implements MonitorEvent {
        @Override
        public String describe() {
            return "Probe "
                    + probe
                    + " failed ("
                    + message
                    + "); ticks where it fails miss its values";
        }
    }
}
