package io.trainsight.gpu.internal.nvml;

import static io.trainsight.gpu.SampleRing.ABSENT;

import com.sun.jna.Pointer;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.MonitorEvent;
import io.trainsight.gpu.MonitorListener;
import io.trainsight.gpu.SampleWriter;

/**
 * One GPU as the NVML probe samples it: its handle (fetched once), which queries it does not
 * support (asked once, then left out), whether it is lost, and the values read less often than
 * every tick (maximum clocks once, PCIe throughput at its own interval). Used by the sampler thread
 * only, except {@link #isLost()}.
 */
final class NvmlDevice {

    private final NvmlLibrary nvml;
    private final MonitorListener events;
    private final DeviceInfo info;
    private final Pointer handle;
    private final boolean[] unsupported = new boolean[Query.values().length];
    private final boolean[] failureReported = new boolean[Query.values().length];
    private volatile boolean lost;
    private boolean memoryV2;
    private boolean temperatureV;
    private final NvmlProcessTick processes;
    private long processUtilDueAt;
    private boolean processUtilSampled;
    private long maxSmClock = ABSENT;
    private long maxMemoryClock = ABSENT;
    private long pcieTx = ABSENT;
    private long pcieRx = ABSENT;
    private boolean pcieSampled;
    private long pcieDueAt;

    NvmlDevice(
            NvmlLibrary nvml,
            MonitorListener events,
            DeviceInfo info,
            Pointer handle,
            long ownPid) {
        this.nvml = nvml;
        this.events = events;
        this.info = info;
        this.handle = handle;
        this.memoryV2 = nvml.has(NvmlDirect.Group.MEMORY_V2);
        this.temperatureV = nvml.has(NvmlDirect.Group.TEMPERATURE_V);
        this.processes = new NvmlProcessTick(nvml, ownPid);
    }

    DeviceInfo info() {
        return info;
    }

    Pointer handle() {
        return handle;
    }

    boolean isLost() {
        return lost;
    }

    /** Marks the GPU lost before its first tick (its handle could not be fetched). */
    void markLost(String message) {
        lost = true;
        events.onEvent(new MonitorEvent.GpuLost(info.index(), info.uuid(), message));
    }

    /**
     * Reads the maximum clocks, which do not change while the driver is loaded.
     *
     * @param scratch a native buffer of at least 8 bytes
     */
    void readStatic(Pointer scratch) {
        if (ask(Query.CLOCK_SM_MAX)
                && ok(Query.CLOCK_SM_MAX, nvml.maxClock(handle, Query.CLOCK_TYPE_SM, scratch))) {
            maxSmClock = uint(scratch, 0);
        }
        if (ask(Query.CLOCK_MEMORY_MAX)
                && ok(
                        Query.CLOCK_MEMORY_MAX,
                        nvml.maxClock(handle, Query.CLOCK_TYPE_MEMORY, scratch))) {
            maxMemoryClock = uint(scratch, 0);
        }
    }

    /**
     * Samples every supported metric into the writer; allocates nothing.
     *
     * @param out the writer, at the tick's slot
     * @param scratch a native buffer of {@link NvmlStructs#SCRATCH_SIZE} bytes
     * @param now the tick's {@code System.nanoTime()}
     * @param pcieIntervalNanos how often to read PCIe throughput
     */
    void sample(SampleWriter out, Pointer scratch, long now, long pcieIntervalNanos) {
        int index = info.index();
        if (ask(Query.UTILIZATION) && ok(Query.UTILIZATION, nvml.utilization(handle, scratch))) {
            out.gpu(index, GpuMetric.UTILIZATION_GPU, uint(scratch, NvmlStructs.UTILIZATION_GPU));
            out.gpu(
                    index,
                    GpuMetric.UTILIZATION_MEMORY,
                    uint(scratch, NvmlStructs.UTILIZATION_MEMORY));
        }
        sampleMemory(out, scratch);
        sampleTemperature(out, scratch);
        if (ask(Query.POWER_USAGE) && ok(Query.POWER_USAGE, nvml.powerUsage(handle, scratch))) {
            out.gpu(index, GpuMetric.POWER_USAGE, uint(scratch, 0));
        }
        if (ask(Query.POWER_LIMIT) && ok(Query.POWER_LIMIT, nvml.powerLimit(handle, scratch))) {
            out.gpu(index, GpuMetric.POWER_LIMIT, uint(scratch, 0));
        }
        if (ask(Query.ENERGY) && ok(Query.ENERGY, nvml.energy(handle, scratch))) {
            out.gpu(index, GpuMetric.ENERGY, scratch.getLong(0));
        }
        if (ask(Query.CLOCK_SM)
                && ok(Query.CLOCK_SM, nvml.clock(handle, Query.CLOCK_TYPE_SM, scratch))) {
            out.gpu(index, GpuMetric.CLOCK_SM, uint(scratch, 0));
        }
        if (ask(Query.CLOCK_MEMORY)
                && ok(Query.CLOCK_MEMORY, nvml.clock(handle, Query.CLOCK_TYPE_MEMORY, scratch))) {
            out.gpu(index, GpuMetric.CLOCK_MEMORY, uint(scratch, 0));
        }
        if (ask(Query.CLOCK_EVENT_REASONS)
                && ok(Query.CLOCK_EVENT_REASONS, nvml.clockEventReasons(handle, scratch))) {
            out.gpu(index, GpuMetric.THROTTLE_REASONS, scratch.getLong(0));
        }
        if (!pcieSampled || now - pcieDueAt >= 0) {
            pcieSampled = true;
            pcieDueAt = now + pcieIntervalNanos;
            pcieTx = pcie(Query.PCIE_TX, Query.PCIE_TX_BYTES, scratch);
            pcieRx = pcie(Query.PCIE_RX, Query.PCIE_RX_BYTES, scratch);
        }
        sampleProcesses(out, now, pcieIntervalNanos);
        if (lost) {
            return;
        }
        put(out, GpuMetric.PCIE_TX, pcieTx);
        put(out, GpuMetric.PCIE_RX, pcieRx);
        put(out, GpuMetric.CLOCK_SM_MAX, maxSmClock);
        put(out, GpuMetric.CLOCK_MEMORY_MAX, maxMemoryClock);
    }

    private void sampleMemory(SampleWriter out, Pointer scratch) {
        if (!ask(Query.MEMORY)) {
            return;
        }
        int index = info.index();
        if (memoryV2) {
            int code = nvml.memoryV2(handle, scratch);
            if (code == NvmlLibrary.SUCCESS) {
                out.gpu(
                        index,
                        GpuMetric.MEMORY_TOTAL,
                        scratch.getLong(NvmlStructs.MEMORY_V2_TOTAL));
                out.gpu(
                        index,
                        GpuMetric.MEMORY_RESERVED,
                        scratch.getLong(NvmlStructs.MEMORY_V2_RESERVED));
                out.gpu(index, GpuMetric.MEMORY_FREE, scratch.getLong(NvmlStructs.MEMORY_V2_FREE));
                out.gpu(index, GpuMetric.MEMORY_USED, scratch.getLong(NvmlStructs.MEMORY_V2_USED));
                return;
            }
            if (!fallsBackToV1(code)) {
                ok(Query.MEMORY, code);
                return;
            }
            // the driver has the symbol but not this version of the struct, or not for this GPU
            memoryV2 = false;
        }
        if (ok(Query.MEMORY, nvml.memoryV1(handle, scratch))) {
            out.gpu(index, GpuMetric.MEMORY_TOTAL, scratch.getLong(NvmlStructs.MEMORY_V1_TOTAL));
            out.gpu(index, GpuMetric.MEMORY_FREE, scratch.getLong(NvmlStructs.MEMORY_V1_FREE));
            out.gpu(index, GpuMetric.MEMORY_USED, scratch.getLong(NvmlStructs.MEMORY_V1_USED));
        }
    }

    /** {@code nvmlDeviceGetTemperatureV} where the driver has it, else the deprecated call. */
    private void sampleTemperature(SampleWriter out, Pointer scratch) {
        if (!ask(Query.TEMPERATURE)) {
            return;
        }
        if (temperatureV) {
            int code = nvml.temperatureV(handle, scratch);
            if (code == NvmlLibrary.SUCCESS) {
                out.gpu(info.index(), GpuMetric.TEMPERATURE, uint(scratch, 0));
                return;
            }
            if (!fallsBackToV1(code) || !nvml.has(NvmlDirect.Group.TEMPERATURE)) {
                ok(Query.TEMPERATURE, code);
                return;
            }
            temperatureV = false;
        }
        if (ok(Query.TEMPERATURE, nvml.temperatureLegacy(handle, scratch))) {
            out.gpu(info.index(), GpuMetric.TEMPERATURE, uint(scratch, 0));
        }
    }

    /**
     * This process's memory and the other processes' on every tick; the other processes' SM share
     * at the slower interval, repeated in between.
     */
    private void sampleProcesses(SampleWriter out, long now, long slowIntervalNanos) {
        if (ask(Query.PROCESSES) && ok(Query.PROCESSES, processes.sampleProcesses(handle))) {
            put(out, GpuMetric.PROCESS_MEMORY, processes.own());
            put(out, GpuMetric.OTHER_PROCESSES_MEMORY, processes.others());
            put(out, GpuMetric.OTHER_PROCESSES, processes.otherCount());
        }
        if (!ask(Query.PROCESS_UTILIZATION)) {
            return;
        }
        if (!processUtilSampled || now - processUtilDueAt >= 0) {
            processUtilSampled = true;
            processUtilDueAt = now + slowIntervalNanos;
            ok(Query.PROCESS_UTILIZATION, processes.sampleUtilization(handle));
        }
        if (!lost) {
            put(out, GpuMetric.OTHER_PROCESSES_SM, processes.otherSm());
        }
    }

    private static boolean fallsBackToV1(int code) {
        return code == NvmlError.FUNCTION_NOT_FOUND.code()
                || code == NvmlError.ARGUMENT_VERSION_MISMATCH.code()
                || code == NvmlError.NOT_SUPPORTED.code();
    }

    private long pcie(Query query, int counter, Pointer scratch) {
        if (ask(query) && ok(query, nvml.pcieThroughput(handle, counter, scratch))) {
            return uint(scratch, 0);
        }
        return ABSENT;
    }

    private void put(SampleWriter out, GpuMetric metric, long value) {
        if (value != ABSENT) {
            out.gpu(info.index(), metric, value);
        }
    }

    private boolean ask(Query query) {
        return !lost && !unsupported[query.ordinal()];
    }

    /**
     * Checks a query's code; on failure remembers what it means for the GPU and reports it once.
     */
    private boolean ok(Query query, int code) {
        if (code == NvmlLibrary.SUCCESS) {
            return true;
        }
        NvmlError error = NvmlError.of(code);
        String call =
                switch (query) {
                    case CLOCK_EVENT_REASONS -> nvml.clockEventReasonsName();
                    case TEMPERATURE -> temperatureV ? "nvmlDeviceGetTemperatureV" : query.call();
                    case PROCESSES -> processes.processCall();
                    default -> query.call();
                };
        int index = info.index();
        switch (error) {
            case GPU_IS_LOST -> {
                lost = true;
                String message = nvml.error(call, code).nvmlMessage();
                events.onEvent(new MonitorEvent.GpuLost(index, info.uuid(), message));
            }
            case NOT_SUPPORTED, FUNCTION_NOT_FOUND, NO_PERMISSION -> {
                unsupported[query.ordinal()] = true;
                String message = nvml.error(call, code).nvmlMessage();
                events.onEvent(new MonitorEvent.MetricNotSupported(index, call, message));
            }
            default -> {
                if (!failureReported[query.ordinal()]) {
                    failureReported[query.ordinal()] = true;
                    String message = nvml.error(call, code).nvmlMessage();
                    events.onEvent(new MonitorEvent.MetricFailed(index, call, message));
                }
            }
        }
        return false;
    }

    private static long uint(Pointer buffer, int offset) {
        return buffer.getInt(offset) & 0xFFFF_FFFFL;
    }
}
