/*
 * A fake libcudart (the CUDA runtime) for the tests of how DJL finds it: DJL counts GPUs by loading
 * "cudart" through JNA and calling cudaGetDeviceCount. Installed under a versioned name only
 * (libcudart.so.12), as a pip install of torch has it, it shows whether the launcher's library path
 * lets JNA find it. FAKE_CUDART_COUNT sets the count it answers (default 1).
 */
#include <stdlib.h>

int cudaGetDeviceCount(int *count) {
    const char *n = getenv("FAKE_CUDART_COUNT");
    *count = n ? atoi(n) : 1;
    return 0;
}

int cudaRuntimeGetVersion(int *version) {
    *version = 12080;
    return 0;
}

int cudaDeviceGetAttribute(int *value, int attribute, int device) {
    (void)device;
    *value = attribute == 75 ? 9 : 0; /* compute capability major 9, minor 0 */
    return 0;
}

const char *cudaGetErrorString(int error) { return error == 0 ? "no error" : "fake cudart error"; }
