#!/usr/bin/env bash
# Compiles the fakes used by the tests into OUT_DIR:
#   libnvidia-ml-fake.so          every NVML symbol the binding uses
#   libnvidia-ml-fake-old.so      an old driver: no _v2/_v3 variants, no nvmlDeviceGetMemoryInfo_v2,
#                                 only the older ...ThrottleReasons name, no ...TemperatureV
#   libnvidia-ml-fake-nvml13.so   a newer driver without the deprecated nvmlDeviceGetTemperature
#   libnvidia-ml-fake-notemp.so   neither temperature call
#   libcuda-fake.so               the CUDA driver API calls the device mapping uses, scripted by
#                                 environment variables (see fake_cuda.c)
#   libcudart-fake.so             cudaGetDeviceCount and friends, as DJL's GPU count calls them
set -euo pipefail
out="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null; then
  echo "build-fake-nvml.sh: '$cc' not found; the gpu-monitor tests need a C compiler (set CC)" >&2
  exit 1
fi
flags=(-std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared)
"$cc" "${flags[@]}" -o "$out/libnvidia-ml-fake.so" "$here/fake_nvml.c"
"$cc" "${flags[@]}" -DOLD_DRIVER -o "$out/libnvidia-ml-fake-old.so" "$here/fake_nvml.c"
"$cc" "${flags[@]}" -DNO_LEGACY_TEMPERATURE -o "$out/libnvidia-ml-fake-nvml13.so" "$here/fake_nvml.c"
"$cc" "${flags[@]}" -DNO_TEMPERATURE -o "$out/libnvidia-ml-fake-notemp.so" "$here/fake_nvml.c"
"$cc" "${flags[@]}" -D_POSIX_C_SOURCE=200809L -o "$out/libcuda-fake.so" "$here/fake_cuda.c"
"$cc" "${flags[@]}" -o "$out/libcudart-fake.so" "$here/fake_cudart.c"
