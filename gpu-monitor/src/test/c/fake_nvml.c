/*
 * A fake libnvidia-ml for the tests: the NVML symbols the binding calls, with the signatures and
 * struct layouts of nvml.h (see shared/notes/nvml-facts.md), answering values and return codes that
 * the test scripts through the fake_* functions below (called through JNA).
 *
 * Compiled four times by build-fake-nvml.sh: as is (every symbol, both temperature calls); with
 * -DOLD_DRIVER, which leaves out the newer symbols (the _v2/_v3 variants, nvmlDeviceGetMemoryInfo_v2,
 * nvmlDeviceGetCurrentClocksEventReasons, nvmlDeviceGetTemperatureV, nvmlDeviceGetPciInfo_v3,
 * nvmlSystemGetCudaDriverVersion_v2, nvmlDeviceGetProcessUtilization) the way an old driver does;
 * with -DNO_LEGACY_TEMPERATURE, a newer driver that dropped the deprecated nvmlDeviceGetTemperature
 * and has only nvmlDeviceGetTemperatureV; and with -DNO_TEMPERATURE, a library with neither. The
 * binding's fallbacks so run through real symbol look-ups.
 *
 * A device handle is a pointer into the devices array; every device call checks it, so a binding
 * that passed the wrong handle gets NVML_ERROR_INVALID_ARGUMENT.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEVICES 8
#define SUCCESS 0
#define ERROR_UNINITIALIZED 1
#define ERROR_INVALID_ARGUMENT 2
#define ERROR_NOT_FOUND 6
#define ERROR_INSUFFICIENT_SIZE 7
#define ERROR_GPU_IS_LOST 15
#define ERROR_ARGUMENT_VERSION_MISMATCH 25
#define MEMORY_V2_VERSION 0x02000028u
#define TEMPERATURE_V1_VERSION 0x0100000Cu
#define MAX_PROCESSES 16

typedef struct {
    unsigned int gpu;
    unsigned int memory;
} utilization_t;

typedef struct {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} memory_v1_t;

typedef struct {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} memory_v2_t;

typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
} process_v1_t;

typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} process_v2_t;

typedef struct {
    unsigned int version;
    int sensorType;
    int temperature;
} temperature_v1_t;

/* nvmlPciInfo_t as nvmlDeviceGetPciInfo_v3 fills it (68 bytes). */
typedef struct {
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[32];
} pci_info_t;

typedef struct {
    unsigned int pid;
    unsigned long long timeStamp;
    unsigned int smUtil;
    unsigned int memUtil;
    unsigned int encUtil;
    unsigned int decUtil;
} process_utilization_t;

/* The scripted values of a device, by key (fake_key maps names to these). */
enum key {
    K_UTIL_GPU, K_UTIL_MEMORY, K_MEM_TOTAL, K_MEM_RESERVED, K_MEM_FREE, K_MEM_USED, K_TEMPERATURE,
    K_POWER, K_POWER_LIMIT, K_ENERGY, K_CLOCK_SM, K_CLOCK_MEMORY, K_CLOCK_SM_MAX,
    K_CLOCK_MEMORY_MAX, K_THROTTLE, K_PCIE_TX, K_PCIE_RX, K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "util_gpu", "util_memory", "mem_total", "mem_reserved", "mem_free", "mem_used", "temperature",
    "power", "power_limit", "energy", "clock_sm", "clock_memory", "clock_sm_max",
    "clock_memory_max", "throttle", "pcie_tx", "pcie_rx"};

/* The functions whose return code can be scripted and whose calls are counted. */
enum fn {
    F_INIT, F_SHUTDOWN, F_DRIVER_VERSION, F_NVML_VERSION, F_COUNT_DEVICES, F_HANDLE, F_NAME, F_UUID,
    F_UTILIZATION, F_MEMORY, F_MEMORY_V2, F_TEMPERATURE, F_POWER, F_POWER_LIMIT, F_ENERGY, F_CLOCK,
    F_MAX_CLOCK, F_CLOCK_EVENTS, F_THROTTLE, F_PCIE, F_PROCESSES, F_PROCESSES_V2, F_PROCESSES_V3,
    F_TEMPERATURE_V, F_PCI, F_CUDA_VERSION, F_PROCESS_UTILIZATION, F_COUNT
};
static const char *const fn_names[F_COUNT] = {
    "init", "shutdown", "driver_version", "nvml_version", "count", "handle", "name", "uuid",
    "utilization", "memory", "memory_v2", "temperature", "power", "power_limit", "energy", "clock",
    "max_clock", "clock_events", "throttle", "pcie", "processes", "processes_v2", "processes_v3",
    "temperature_v", "pci", "cuda_version", "process_utilization"};

typedef struct {
    char name[96];
    char uuid[96];
    unsigned long long values[K_COUNT];
    int lost;
    unsigned int process_count;
    unsigned int pids[MAX_PROCESSES];
    unsigned long long process_memory[MAX_PROCESSES];
    unsigned int process_sm[MAX_PROCESSES];
    unsigned int pci_domain, pci_bus, pci_device;
} device_t;

static device_t devices[MAX_DEVICES];
static unsigned int device_count;
static int init_count;
static char driver_version[80];
static char nvml_version[80];
static int cuda_version;
static unsigned long long utilization_clock;
/* Scripted return codes: [function][device], the last column for calls without a device. */
static int returns[F_COUNT][MAX_DEVICES + 1];
static long calls[F_COUNT];

/* ---- scripting, called by the tests ---- */

void fake_reset(void) {
    memset(devices, 0, sizeof devices);
    memset(returns, 0, sizeof returns);
    memset(calls, 0, sizeof calls);
    device_count = 0;
    init_count = 0;
    strcpy(driver_version, "550.54.15");
    strcpy(nvml_version, "12.550.54.15");
    cuda_version = 12040;
    utilization_clock = 1000000;
}

int fake_key(const char *name) {
    for (int i = 0; i < K_COUNT; i++) {
        if (strcmp(name, key_names[i]) == 0) return i;
    }
    return -1;
}

int fake_function(const char *name) {
    for (int i = 0; i < F_COUNT; i++) {
        if (strcmp(name, fn_names[i]) == 0) return i;
    }
    return -1;
}

void fake_set_device_count(unsigned int n) { device_count = n > MAX_DEVICES ? MAX_DEVICES : n; }

void fake_set_device(unsigned int i, const char *name, const char *uuid) {
    strncpy(devices[i].name, name, sizeof devices[i].name - 1);
    strncpy(devices[i].uuid, uuid, sizeof devices[i].uuid - 1);
}

void fake_set_versions(const char *driver, const char *nvml) {
    strncpy(driver_version, driver, sizeof driver_version - 1);
    strncpy(nvml_version, nvml, sizeof nvml_version - 1);
}

void fake_set_cuda_version(int version) { cuda_version = version; }

void fake_set_pci(unsigned int i, unsigned int domain, unsigned int bus, unsigned int device) {
    devices[i].pci_domain = domain;
    devices[i].pci_bus = bus;
    devices[i].pci_device = device;
}

/* The SM utilisation each scripted process reports in nvmlDeviceGetProcessUtilization, in the
   order of fake_set_processes. */
void fake_set_process_sm(unsigned int i, unsigned int n, const unsigned int *sm) {
    for (unsigned int p = 0; p < n && p < MAX_PROCESSES; p++) devices[i].process_sm[p] = sm[p];
}

void fake_set_value(unsigned int i, int key, unsigned long long value) {
    devices[i].values[key] = value;
}

/* device -1: the calls that take no device (init, versions, count). */
void fake_set_return(int fn, int device, int code) {
    returns[fn][device < 0 ? MAX_DEVICES : device] = code;
}

void fake_set_lost(unsigned int i, int lost) { devices[i].lost = lost; }

void fake_set_processes(unsigned int i, unsigned int n, const unsigned int *pids,
                        const unsigned long long *memory) {
    devices[i].process_count = n > MAX_PROCESSES ? MAX_PROCESSES : n;
    for (unsigned int p = 0; p < devices[i].process_count; p++) {
        devices[i].pids[p] = pids[p];
        devices[i].process_memory[p] = memory[p];
    }
}

long fake_calls(int fn) { return calls[fn]; }

int fake_init_count(void) { return init_count; }

/* ---- helpers ---- */

static int global_call(int fn) {
    calls[fn]++;
    if (returns[fn][MAX_DEVICES] != SUCCESS) return returns[fn][MAX_DEVICES];
    if (fn != F_INIT && init_count == 0) return ERROR_UNINITIALIZED;
    return SUCCESS;
}

/* Checks the handle and the scripted code of a device call; stores the device index. */
static int device_call(int fn, void *handle, int *index) {
    calls[fn]++;
    if (init_count == 0) return ERROR_UNINITIALIZED;
    device_t *d = (device_t *)handle;
    if (d < devices || d >= devices + device_count) return ERROR_INVALID_ARGUMENT;
    *index = (int)(d - devices);
    if (d->lost) return ERROR_GPU_IS_LOST;
    return returns[fn][*index];
}

static int copy_string(const char *value, char *out, unsigned int length) {
    if (out == NULL) return ERROR_INVALID_ARGUMENT;
    if (strlen(value) + 1 > length) return ERROR_INSUFFICIENT_SIZE;
    strcpy(out, value);
    return SUCCESS;
}

/* ---- NVML ---- */

const char *nvmlErrorString(int code) {
    switch (code) {
        case 0: return "Success";
        case 1: return "Uninitialized";
        case 2: return "Invalid Argument";
        case 3: return "Not Supported";
        case 4: return "Insufficient Permissions";
        case 7: return "Insufficient Size";
        case 9: return "Driver Not Loaded";
        case 15: return "GPU is lost";
        case 6: return "Not Found";
        case 13: return "Function Not Found";
        case 25: return "Argument version mismatch";
        case 30: return "Reset Type Not Supported";
        default: return "Unknown Error";
    }
}

static int init(void) {
    int rc = global_call(F_INIT);
    if (rc == SUCCESS) init_count++;
    return rc;
}

int nvmlInit(void) { return init(); }
#ifndef OLD_DRIVER
int nvmlInit_v2(void) { return init(); }
#endif

int nvmlShutdown(void) {
    int rc = global_call(F_SHUTDOWN);
    if (rc == SUCCESS) init_count--;
    return rc;
}

int nvmlSystemGetDriverVersion(char *out, unsigned int length) {
    int rc = global_call(F_DRIVER_VERSION);
    return rc != SUCCESS ? rc : copy_string(driver_version, out, length);
}

int nvmlSystemGetNVMLVersion(char *out, unsigned int length) {
    int rc = global_call(F_NVML_VERSION);
    return rc != SUCCESS ? rc : copy_string(nvml_version, out, length);
}

static int get_count(unsigned int *count) {
    int rc = global_call(F_COUNT_DEVICES);
    if (rc == SUCCESS) *count = device_count;
    return rc;
}

int nvmlDeviceGetCount(unsigned int *count) { return get_count(count); }
#ifndef OLD_DRIVER
int nvmlDeviceGetCount_v2(unsigned int *count) { return get_count(count); }
#endif

static int get_handle(unsigned int index, void **handle) {
    calls[F_HANDLE]++;
    if (init_count == 0) return ERROR_UNINITIALIZED;
    if (index >= device_count) return ERROR_INVALID_ARGUMENT;
    if (returns[F_HANDLE][index] != SUCCESS) return returns[F_HANDLE][index];
    *handle = &devices[index];
    return SUCCESS;
}

int nvmlDeviceGetHandleByIndex(unsigned int index, void **handle) {
    return get_handle(index, handle);
}
#ifndef OLD_DRIVER
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **handle) {
    return get_handle(index, handle);
}
#endif

int nvmlDeviceGetName(void *device, char *out, unsigned int length) {
    int i, rc = device_call(F_NAME, device, &i);
    return rc != SUCCESS ? rc : copy_string(devices[i].name, out, length);
}

int nvmlDeviceGetUUID(void *device, char *out, unsigned int length) {
    int i, rc = device_call(F_UUID, device, &i);
    return rc != SUCCESS ? rc : copy_string(devices[i].uuid, out, length);
}

int nvmlDeviceGetUtilizationRates(void *device, utilization_t *out) {
    int i, rc = device_call(F_UTILIZATION, device, &i);
    if (rc != SUCCESS) return rc;
    out->gpu = (unsigned int)devices[i].values[K_UTIL_GPU];
    out->memory = (unsigned int)devices[i].values[K_UTIL_MEMORY];
    return SUCCESS;
}

int nvmlDeviceGetMemoryInfo(void *device, memory_v1_t *out) {
    int i, rc = device_call(F_MEMORY, device, &i);
    if (rc != SUCCESS) return rc;
    out->total = devices[i].values[K_MEM_TOTAL];
    out->free = devices[i].values[K_MEM_FREE];
    out->used = devices[i].values[K_MEM_USED];
    return SUCCESS;
}

#ifndef OLD_DRIVER
int nvmlDeviceGetMemoryInfo_v2(void *device, memory_v2_t *out) {
    int i, rc = device_call(F_MEMORY_V2, device, &i);
    if (rc != SUCCESS) return rc;
    if (out->version != MEMORY_V2_VERSION) return ERROR_ARGUMENT_VERSION_MISMATCH;
    out->total = devices[i].values[K_MEM_TOTAL];
    out->reserved = devices[i].values[K_MEM_RESERVED];
    out->free = devices[i].values[K_MEM_FREE];
    out->used = devices[i].values[K_MEM_USED];
    return SUCCESS;
}
#endif

#if !defined(NO_LEGACY_TEMPERATURE) && !defined(NO_TEMPERATURE)
int nvmlDeviceGetTemperature(void *device, int sensor, unsigned int *out) {
    int i, rc = device_call(F_TEMPERATURE, device, &i);
    if (rc != SUCCESS) return rc;
    if (sensor != 0) return ERROR_INVALID_ARGUMENT;
    *out = (unsigned int)devices[i].values[K_TEMPERATURE];
    return SUCCESS;
}
#endif

#if !defined(OLD_DRIVER) && !defined(NO_TEMPERATURE)
int nvmlDeviceGetTemperatureV(void *device, temperature_v1_t *out) {
    int i, rc = device_call(F_TEMPERATURE_V, device, &i);
    if (rc != SUCCESS) return rc;
    if (out->version != TEMPERATURE_V1_VERSION) return ERROR_ARGUMENT_VERSION_MISMATCH;
    if (out->sensorType != 0) return ERROR_INVALID_ARGUMENT;
    out->temperature = (int)devices[i].values[K_TEMPERATURE];
    return SUCCESS;
}
#endif

static int pci_info(int fn, void *device, pci_info_t *out, int v3) {
    int i, rc = device_call(fn, device, &i);
    if (rc != SUCCESS) return rc;
    device_t *d = &devices[i];
    memset(out, 0, v3 ? sizeof(pci_info_t) : 52);
    out->domain = d->pci_domain;
    out->bus = d->pci_bus;
    out->device = d->pci_device;
    out->pciDeviceId = 0x233010DEu;
    snprintf(out->busIdLegacy, sizeof out->busIdLegacy, "%04X:%02X:%02X.0", d->pci_domain & 0xFFFF,
             d->pci_bus, d->pci_device);
    if (v3) {
        snprintf(out->busId, sizeof out->busId, "%08X:%02X:%02X.0", d->pci_domain, d->pci_bus,
                 d->pci_device);
    }
    return SUCCESS;
}

/* The first struct (before _v2) had a 16-byte busId first and reserved fields after: 52 bytes. */
int nvmlDeviceGetPciInfo(void *device, pci_info_t *out) { return pci_info(F_PCI, device, out, 0); }
#ifndef OLD_DRIVER
int nvmlDeviceGetPciInfo_v3(void *device, pci_info_t *out) {
    return pci_info(F_PCI, device, out, 1);
}

int nvmlSystemGetCudaDriverVersion_v2(int *out) {
    int rc = global_call(F_CUDA_VERSION);
    if (rc == SUCCESS) *out = cuda_version;
    return rc;
}

/* Every call answers one sample per scripted process, newer than any before it; a lastSeen at or
   past the newest answers NOT_FOUND, as NVML does when no process ran since. */
int nvmlDeviceGetProcessUtilization(void *device, process_utilization_t *out, unsigned int *count,
                                    unsigned long long lastSeen) {
    int i, rc = device_call(F_PROCESS_UTILIZATION, device, &i);
    if (rc != SUCCESS) return rc;
    device_t *d = &devices[i];
    if (d->process_count == 0 || lastSeen > utilization_clock) return ERROR_NOT_FOUND;
    if (out == NULL || *count < d->process_count) {
        *count = d->process_count;
        return ERROR_INSUFFICIENT_SIZE;
    }
    utilization_clock++;
    for (unsigned int p = 0; p < d->process_count; p++) {
        out[p].pid = d->pids[p];
        out[p].timeStamp = utilization_clock;
        out[p].smUtil = d->process_sm[p];
        out[p].memUtil = 0;
        out[p].encUtil = 0;
        out[p].decUtil = 0;
    }
    *count = d->process_count;
    return SUCCESS;
}
#endif

int nvmlDeviceGetPowerUsage(void *device, unsigned int *out) {
    int i, rc = device_call(F_POWER, device, &i);
    if (rc == SUCCESS) *out = (unsigned int)devices[i].values[K_POWER];
    return rc;
}

int nvmlDeviceGetEnforcedPowerLimit(void *device, unsigned int *out) {
    int i, rc = device_call(F_POWER_LIMIT, device, &i);
    if (rc == SUCCESS) *out = (unsigned int)devices[i].values[K_POWER_LIMIT];
    return rc;
}

int nvmlDeviceGetTotalEnergyConsumption(void *device, unsigned long long *out) {
    int i, rc = device_call(F_ENERGY, device, &i);
    if (rc == SUCCESS) *out = devices[i].values[K_ENERGY];
    return rc;
}

/* Clock types: 1 SM, 2 memory (0 graphics and 3 video are not scripted). */
static int clock_key(int type, int max) {
    if (type == 1) return max ? K_CLOCK_SM_MAX : K_CLOCK_SM;
    if (type == 2) return max ? K_CLOCK_MEMORY_MAX : K_CLOCK_MEMORY;
    return -1;
}

int nvmlDeviceGetClockInfo(void *device, int type, unsigned int *out) {
    int i, rc = device_call(F_CLOCK, device, &i);
    if (rc != SUCCESS) return rc;
    int key = clock_key(type, 0);
    if (key < 0) return ERROR_INVALID_ARGUMENT;
    *out = (unsigned int)devices[i].values[key];
    return SUCCESS;
}

int nvmlDeviceGetMaxClockInfo(void *device, int type, unsigned int *out) {
    int i, rc = device_call(F_MAX_CLOCK, device, &i);
    if (rc != SUCCESS) return rc;
    int key = clock_key(type, 1);
    if (key < 0) return ERROR_INVALID_ARGUMENT;
    *out = (unsigned int)devices[i].values[key];
    return SUCCESS;
}

#ifndef OLD_DRIVER
int nvmlDeviceGetCurrentClocksEventReasons(void *device, unsigned long long *out) {
    int i, rc = device_call(F_CLOCK_EVENTS, device, &i);
    if (rc == SUCCESS) *out = devices[i].values[K_THROTTLE];
    return rc;
}
#endif

int nvmlDeviceGetCurrentClocksThrottleReasons(void *device, unsigned long long *out) {
    int i, rc = device_call(F_THROTTLE, device, &i);
    if (rc == SUCCESS) *out = devices[i].values[K_THROTTLE];
    return rc;
}

/* Counter 0 TX, 1 RX. */
int nvmlDeviceGetPcieThroughput(void *device, int counter, unsigned int *out) {
    int i, rc = device_call(F_PCIE, device, &i);
    if (rc != SUCCESS) return rc;
    if (counter != 0 && counter != 1) return ERROR_INVALID_ARGUMENT;
    *out = (unsigned int)devices[i].values[counter == 0 ? K_PCIE_TX : K_PCIE_RX];
    return SUCCESS;
}

/* The NVML protocol: *count is the capacity in, the number of processes out; too small a capacity
   answers INSUFFICIENT_SIZE with the count needed. */
static int processes(int fn, void *device, unsigned int *count, void *out, int v2) {
    int i, rc = device_call(fn, device, &i);
    if (rc != SUCCESS) return rc;
    device_t *d = &devices[i];
    unsigned int capacity = *count;
    *count = d->process_count;
    if (capacity < d->process_count) return ERROR_INSUFFICIENT_SIZE;
    for (unsigned int p = 0; p < d->process_count; p++) {
        if (v2) {
            process_v2_t *info = (process_v2_t *)out + p;
            info->pid = d->pids[p];
            info->usedGpuMemory = d->process_memory[p];
            info->gpuInstanceId = 0xFFFFFFFFu;
            info->computeInstanceId = 0xFFFFFFFFu;
        } else {
            process_v1_t *info = (process_v1_t *)out + p;
            info->pid = d->pids[p];
            info->usedGpuMemory = d->process_memory[p];
        }
    }
    return SUCCESS;
}

int nvmlDeviceGetComputeRunningProcesses(void *device, unsigned int *count, process_v1_t *out) {
    return processes(F_PROCESSES, device, count, out, 0);
}

#ifndef OLD_DRIVER
int nvmlDeviceGetComputeRunningProcesses_v2(void *device, unsigned int *count, process_v2_t *out) {
    return processes(F_PROCESSES_V2, device, count, out, 1);
}

int nvmlDeviceGetComputeRunningProcesses_v3(void *device, unsigned int *count, process_v2_t *out) {
    return processes(F_PROCESSES_V3, device, count, out, 1);
}
#endif
