package io.trainsight.gpu;

import java.util.EnumSet;
import java.util.Set;

/** NVML's clock-event (throttle) reasons, one bit each in {@link GpuMetric#THROTTLE_REASONS}. */
public enum ThrottleReason {
    /** Nothing runs on the GPU, so the clocks are down. */
    GPU_IDLE(0x1L, "GpuIdle"),
    /** The clocks are held by the applications-clocks setting. */
    APPLICATIONS_CLOCKS_SETTING(0x2L, "ApplicationsClocksSetting"),
    /** The software power cap holds the clocks down. */
    SW_POWER_CAP(0x4L, "SwPowerCap"),
    /** Hardware slowdown (temperature, power brake or supply) halves the clocks or more. */
    HW_SLOWDOWN(0x8L, "HwSlowdown"),
    /** Clocks are synchronised with other GPUs (sync boost). */
    SYNC_BOOST(0x10L, "SyncBoost"),
    /** Software thermal slowdown: the GPU or memory is too hot. */
    SW_THERMAL_SLOWDOWN(0x20L, "SwThermalSlowdown"),
    /** Hardware thermal slowdown. */
    HW_THERMAL_SLOWDOWN(0x40L, "HwThermalSlowdown"),
    /** An external power brake slows the GPU down. */
    HW_POWER_BRAKE_SLOWDOWN(0x80L, "HwPowerBrakeSlowdown"),
    /** The display clock setting holds the clocks. */
    DISPLAY_CLOCK_SETTING(0x100L, "DisplayClockSetting");

    private final long bit;
    private final String nvmlName;

    ThrottleReason(long bit, String nvmlName) {
        this.bit = bit;
        this.nvmlName = nvmlName;
    }

    /**
     * Returns this reason's bit in NVML's mask.
     *
     * @return a single bit
     */
    public long bit() {
        return bit;
    }

    /**
     * Returns the name NVML's documentation uses, as in {@code nvmlClocksEventReasonSwPowerCap}.
     *
     * @return the name without the prefix, such as {@code SwPowerCap}
     */
    public String nvmlName() {
        return nvmlName;
    }

    /**
     * Tells whether this reason's bit is set.
     *
     * @param mask NVML's mask
     * @return whether the reason is active
     */
    public boolean isActiveIn(long mask) {
        return (mask & bit) != 0;
    }

    /**
     * Decodes NVML's mask; bits NVML added later than this enum are left out.
     *
     * @param mask NVML's mask
     * @return the active reasons, in bit order
     */
    public static Set<ThrottleReason> decode(long mask) {
        Set<ThrottleReason> active = EnumSet.noneOf(ThrottleReason.class);
        for (ThrottleReason reason : values()) {
            if (reason.isActiveIn(mask)) {
                active.add(reason);
            }
        }
        return active;
    }
}
