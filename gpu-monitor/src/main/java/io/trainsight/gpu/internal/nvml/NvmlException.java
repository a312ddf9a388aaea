package io.trainsight.gpu.internal.nvml;

/** An NVML call that did not succeed, with NVML's code and its own message for it. */
public class NvmlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;
    private final String nvmlMessage;

    /**
     * Creates the exception.
     *
     * @param function the NVML function that failed, such as {@code nvmlInit_v2}
     * @param code NVML's return code
     * @param nvmlMessage NVML's message for the code ({@code nvmlErrorString})
     */
    public NvmlException(String function, int code, String nvmlMessage) {
        super(function + " failed: " + nvmlMessage + " (NVML error " + code + ")");
        this.function = function;
        this.code = code;
        this.nvmlMessage = nvmlMessage;
    }

    /**
     * Returns the NVML function that failed.
     *
     * @return the symbol's name
     */
    public String function() {
        return function;
    }

    /**
     * Returns NVML's return code.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * Returns the error the code stands for.
     *
     * @return the error
     */
    public NvmlError error() {
        return NvmlError.of(code);
    }

    /**
     * Returns NVML's own message for the code.
     *
     * @return the message of {@code nvmlErrorString}
     */
    public String nvmlMessage() {
        return nvmlMessage;
    }
}
