#!/usr/bin/env bash
# Compiles the fake NVML used by the tests: OUT_DIR/libnvidia-ml-fake.so (every symbol the binding
# uses) and OUT_DIR/libnvidia-ml-fake-old.so (an old driver: no _v2/_v3 variants, no
# nvmlDeviceGetMemoryInfo_v2, only the older ...ThrottleReasons name).
set -euo pipefail
out="$1"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fake_nvml.c"
mkdir -p "$out"
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null; then
  echo "build-fake-nvml.sh: '$cc' not found; the gpu-monitor tests need a C compiler (set CC)" >&2
  exit 1
fi
"$cc" -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -o "$out/libnvidia-ml-fake.so" "$src"
"$cc" -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -DOLD_DRIVER -o "$out/libnvidia-ml-fake-old.so" "$src"
