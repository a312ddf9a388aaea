/*
 * A fake libcuda (the CUDA driver API) for the tests: the calls the device mapping makes, with the
 * signatures of cuda.h, answering from environment variables read at every cuInit, so a test can
 * script it in-process (fake_cuda_setenv) or for a child process (its environment):
 *
 *   FAKE_CUDA_DEVICES       the machine's GPUs in the driver's default (fastest-first) order,
 *                           comma-separated, each UUID@PCI-BUS-ID, such as
 *                           GPU-11111111-2222-3333-4444-555555555555@0000:3B:00.0
 *   FAKE_CUDA_INIT_ERROR    a CUresult for cuInit to return instead of success
 *   FAKE_CUDA_DRIVER        the driver's CUDA version (default 12040)
 *
 * Like the real driver it applies CUDA_DEVICE_ORDER (PCI_BUS_ID sorts by bus id; anything else keeps
 * the fastest-first order) and then CUDA_VISIBLE_DEVICES: a comma-separated list of indices into
 * that order or of UUIDs (a unique prefix such as GPU-1111 is enough); the list stops at the first
 * entry that names no device or repeats one; an empty list leaves no device (cuInit answers
 * CUDA_ERROR_NO_DEVICE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEVICES 16
#define CUDA_SUCCESS 0
#define CUDA_ERROR_INVALID_VALUE 1
#define CUDA_ERROR_NOT_INITIALIZED 3
#define CUDA_ERROR_NO_DEVICE 100
#define CUDA_ERROR_INVALID_DEVICE 101

typedef struct {
    char uuid[64];
    unsigned char bytes[16];
    unsigned int domain, bus, device;
} gpu_t;

static gpu_t machine[MAX_DEVICES];
static int machine_count;
static int visible[MAX_DEVICES];
static int visible_count;
static int initialized;

int fake_cuda_setenv(const char *name, const char *value) {
    return value == NULL ? unsetenv(name) : setenv(name, value, 1);
}

static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx into 16 bytes; 0 when it is not one. */
static int parse_uuid(const char *text, unsigned char *bytes) {
    if (strncmp(text, "GPU-", 4) != 0) return 0;
    int n = 0, high = -1;
    for (const char *c = text + 4; *c && n < 16; c++) {
        if (*c == '-') continue;
        int v = hex(*c);
        if (v < 0) return 0;
        if (high < 0) {
            high = v;
        } else {
            bytes[n++] = (unsigned char)(high * 16 + v);
            high = -1;
        }
    }
    return n == 16;
}

static int load_machine(void) {
    machine_count = 0;
    const char *spec = getenv("FAKE_CUDA_DEVICES");
    if (spec == NULL) return 1;
    char copy[4096];
    strncpy(copy, spec, sizeof copy - 1);
    copy[sizeof copy - 1] = 0;
    for (char *entry = strtok(copy, ","); entry && machine_count < MAX_DEVICES;
         entry = strtok(NULL, ",")) {
        char *at = strchr(entry, '@');
        if (at == NULL) return 0;
        *at = 0;
        gpu_t *g = &machine[machine_count];
        strncpy(g->uuid, entry, sizeof g->uuid - 1);
        g->uuid[sizeof g->uuid - 1] = 0;
        if (!parse_uuid(g->uuid, g->bytes)) return 0;
        if (sscanf(at + 1, "%x:%x:%x", &g->domain, &g->bus, &g->device) != 3) return 0;
        machine_count++;
    }
    return 1;
}

static int by_bus(const void *a, const void *b) {
    const gpu_t *x = a, *y = b;
    if (x->domain != y->domain) return x->domain < y->domain ? -1 : 1;
    if (x->bus != y->bus) return x->bus < y->bus ? -1 : 1;
    return x->device < y->device ? -1 : (x->device > y->device);
}

static int find(const char *entry) {
    char *end;
    long index = strtol(entry, &end, 10);
    if (*entry && *end == 0) return index >= 0 && index < machine_count ? (int)index : -1;
    int found = -1;
    for (int i = 0; i < machine_count; i++) {
        if (strncasecmp(machine[i].uuid, entry, strlen(entry)) == 0) {
            if (found >= 0) return -1; /* an ambiguous prefix names no device */
            found = i;
        }
    }
    return found;
}

int cuInit(unsigned int flags) {
    (void)flags;
    const char *error = getenv("FAKE_CUDA_INIT_ERROR");
    if (error != NULL && atoi(error) != 0) return atoi(error);
    if (!load_machine()) return CUDA_ERROR_INVALID_VALUE;
    const char *order = getenv("CUDA_DEVICE_ORDER");
    if (order != NULL && strcmp(order, "PCI_BUS_ID") == 0) {
        qsort(machine, machine_count, sizeof machine[0], by_bus);
    }
    visible_count = 0;
    const char *list = getenv("CUDA_VISIBLE_DEVICES");
    if (list == NULL) {
        for (int i = 0; i < machine_count; i++) visible[visible_count++] = i;
    } else {
        char copy[1024];
        strncpy(copy, list, sizeof copy - 1);
        copy[sizeof copy - 1] = 0;
        for (char *entry = strtok(copy, ","); entry; entry = strtok(NULL, ",")) {
            int i = find(entry);
            int repeated = 0;
            for (int v = 0; v < visible_count; v++) repeated |= visible[v] == i;
            if (i < 0 || repeated) break;
            visible[visible_count++] = i;
        }
    }
    if (visible_count == 0) return CUDA_ERROR_NO_DEVICE;
    initialized = 1;
    return CUDA_SUCCESS;
}

int cuDriverGetVersion(int *version) {
    const char *v = getenv("FAKE_CUDA_DRIVER");
    *version = v ? atoi(v) : 12040;
    return CUDA_SUCCESS;
}

int cuDeviceGetCount(int *count) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    *count = visible_count;
    return CUDA_SUCCESS;
}

int cuDeviceGet(int *device, int ordinal) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (ordinal < 0 || ordinal >= visible_count) return CUDA_ERROR_INVALID_DEVICE;
    *device = 1000 + ordinal; /* a handle that is not the ordinal, as CUdevice need not be */
    return CUDA_SUCCESS;
}

static gpu_t *gpu(int device) {
    int ordinal = device - 1000;
    if (!initialized || ordinal < 0 || ordinal >= visible_count) return NULL;
    return &machine[visible[ordinal]];
}

int cuDeviceGetPCIBusId(char *out, int length, int device) {
    gpu_t *g = gpu(device);
    if (g == NULL) return CUDA_ERROR_INVALID_DEVICE;
    if (out == NULL || length < 13) return CUDA_ERROR_INVALID_VALUE;
    snprintf(out, (size_t)length, "%04x:%02x:%02x.0", g->domain, g->bus, g->device);
    return CUDA_SUCCESS;
}

int cuDeviceGetUuid_v2(unsigned char *out, int device) {
    gpu_t *g = gpu(device);
    if (g == NULL) return CUDA_ERROR_INVALID_DEVICE;
    memcpy(out, g->bytes, 16);
    return CUDA_SUCCESS;
}

int cuDeviceGetUuid(unsigned char *out, int device) { return cuDeviceGetUuid_v2(out, device); }

int cuDeviceGetName(char *out, int length, int device) {
    gpu_t *g = gpu(device);
    if (g == NULL) return CUDA_ERROR_INVALID_DEVICE;
    snprintf(out, (size_t)length, "Fake CUDA GPU %d", device - 1000);
    return CUDA_SUCCESS;
}

int cuGetErrorName(int error, const char **name) {
    switch (error) {
        case 0: *name = "CUDA_SUCCESS"; return 0;
        case 1: *name = "CUDA_ERROR_INVALID_VALUE"; return 0;
        case 3: *name = "CUDA_ERROR_NOT_INITIALIZED"; return 0;
        case 35: *name = "CUDA_ERROR_INSUFFICIENT_DRIVER"; return 0;
        case 100: *name = "CUDA_ERROR_NO_DEVICE"; return 0;
        case 101: *name = "CUDA_ERROR_INVALID_DEVICE"; return 0;
        default: *name = NULL; return CUDA_ERROR_INVALID_VALUE;
    }
}

int cuGetErrorString(int error, const char **text) {
    switch (error) {
        case 0: *text = "no error"; return 0;
        case 35: *text = "CUDA driver version is insufficient for CUDA runtime version"; return 0;
        case 100: *text = "no CUDA-capable device is detected"; return 0;
        case 101: *text = "invalid device ordinal"; return 0;
        default: *text = NULL; return CUDA_ERROR_INVALID_VALUE;
    }
}
