package io.trainsight.gpu.internal.nvml;

/** NVML's return codes ({@code nvmlReturn_t}) other than success. */
public enum NvmlError {
    /** NVML was not initialised. */
    UNINITIALIZED(1),
    /** An argument was invalid. */
    INVALID_ARGUMENT(2),
    /** The device does not support the request. */
    NOT_SUPPORTED(3),
    /** The caller may not do this. */
    NO_PERMISSION(4),
    /** Deprecated: NVML was already initialised. */
    ALREADY_INITIALIZED(5),
    /** A query to find an object was unsuccessful. */
    NOT_FOUND(6),
    /** An input argument is not large enough. */
    INSUFFICIENT_SIZE(7),
    /** A device's external power cables are not properly attached. */
    INSUFFICIENT_POWER(8),
    /** The NVIDIA driver is not loaded. */
    DRIVER_NOT_LOADED(9),
    /** The request timed out. */
    TIMEOUT(10),
    /** An interrupt request issue. */
    IRQ_ISSUE(11),
    /** NVML's shared library could not be found or loaded. */
    LIBRARY_NOT_FOUND(12),
    /** The library lacks a function (an older driver). */
    FUNCTION_NOT_FOUND(13),
    /** The infoROM is corrupted. */
    CORRUPTED_INFOROM(14),
    /** The GPU fell off the bus or became inaccessible. */
    GPU_IS_LOST(15),
    /** The GPU needs a reset. */
    RESET_REQUIRED(16),
    /** The GPU's operating system blocked the request. */
    OPERATING_SYSTEM(17),
    /** The driver and NVML versions do not match. */
    LIB_RM_VERSION_MISMATCH(18),
    /** The GPU is in use. */
    IN_USE(19),
    /** Not enough memory. */
    MEMORY(20),
    /** No data. */
    NO_DATA(21),
    /** ECC is not enabled for the vGPU. */
    VGPU_ECC_NOT_SUPPORTED(22),
    /** Not enough resources. */
    INSUFFICIENT_RESOURCES(23),
    /** Frequency not supported. */
    FREQ_NOT_SUPPORTED(24),
    /** The struct's version field is not one the library knows. */
    ARGUMENT_VERSION_MISMATCH(25),
    /** The request is deprecated. */
    DEPRECATED(26),
    /** Not ready. */
    NOT_READY(27),
    /** A GPU was not found. */
    GPU_NOT_FOUND(28),
    /** The state is invalid. */
    INVALID_STATE(29),
    /** The GPU does not support the reset type asked for. */
    RESET_TYPE_NOT_SUPPORTED(30),
    /** An internal driver error. */
    UNKNOWN(999);

    private final int code;

    NvmlError(int code) {
        this.code = code;
    }

    /**
     * Returns NVML's code.
     *
     * @return the {@code nvmlReturn_t} value
     */
    public int code() {
        return code;
    }

    /**
     * Finds the error of a code.
     *
     * @param code an {@code nvmlReturn_t} other than 0
     * @return the error; {@link #UNKNOWN} for a code this enum does not list
     */
    public static NvmlError of(int code) {
        for (NvmlError error : values()) {
            if (error.code == code) {
                return error;
            }
        }
        return UNKNOWN;
    }
}
