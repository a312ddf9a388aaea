package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.Probe;
import io.trainsight.gpu.SampleWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A probe of one scripted GPU: each tick writes the values set last. */
public final class OneGpuProbe implements Probe {

    private final Map<GpuMetric, Long> values = new EnumMap<>(GpuMetric.class);

    /**
     * Sets a value written from the next tick on.
     *
     * @param metric the metric
     * @param value its value
     * @return this probe
     */
    public OneGpuProbe set(GpuMetric metric, long value) {
        values.put(metric, value);
        return this;
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo(0, "Scripted GPU", "GPU-scripted"));
    }

    @Override
    public void sample(SampleWriter out) {
        values.forEach((metric, value) -> out.gpu(0, metric, value));
    }

    @Override
    public void close() {}
}
