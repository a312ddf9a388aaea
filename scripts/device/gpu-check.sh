#!/usr/bin/env bash
# gpu-check.sh: one bounded run on a borrowed NVIDIA GPU machine (no network), from the project root
# with the bundle that bundle.sh builds in .device/:
#   .device/jre/bin/java   .device/lib/*.jar (trainsight.jar and its runtime jars)
#   .device/main-class     .device/bundle.txt (commit, modules, jars)
# Run on the GPU machine: bash .device/gpu-check.sh (writes under $OUT; fits a 600 s limit).
#
# Every step has its own timeout, a failed step never stops the next, the whole script keeps to
# GPU_CHECK_BUDGET seconds (default 540, under a 600 s limit), and it ends with a PASS/FAIL table.
# $OUT gets at most 4 files: summary.txt (log + table), results.tsv, nvidia-smi-q.txt, details.tgz
# (every raw output: JSON lines, nvidia-smi CSVs, train logs, run summaries).
#
# What it checks:
#  A. nvidia-smi -q (printed and saved) and the valid --query-gpu fields of this driver.
#  B. `trainsight gpus --json` on the idle GPU against nvidia-smi --query-gpu, matched by UUID:
#     name, index order, driver version, memory total/reserved/used, utilization, temperature,
#     power draw and enforced limit, SM/memory clocks and their maxima, clock-event mask, PCIe link.
#  C. The same under a PyTorch FP16 matmul load holding 20 GB (medians of ~0.5 s samples from both
#     tools at once), energy counter slope vs power, and the NVML process list (PID, used memory,
#     i.e. the nvmlProcessInfo_t stride) against nvidia-smi --query-compute-apps.
#  D. PCIe throughput under a pinned host->device copy loop against `nvidia-smi dmon -s t`
#     (magnitude and RX/TX direction).
#  E. CUDA vs NVML ordering: torch's device UUIDs against NVML's (the monitor has no mapping).
#  F. DJL's PyTorch engine on CUDA with the machine's own torch libs (PYTORCH_LIBRARY_PATH,
#     PYTORCH_FLAVOR=cu128, PYTORCH_VERSION=2.7.1, libcudart made findable for DJL's JNA probe),
#     then, if the engine loads: whether the mlp run's FP32 steps handed their gradients straight to
#     the fused update (train.mlp.direct_gradients), train cnn --device gpu (fp32, --workers 2 --accumulate 2
#     --clip-norm 1), train cnn --device gpu --amp --clip-norm 1, and --resume of the AMP run
#     (checkpoint decode on the GPU); the java PID must show up in nvidia-smi's compute apps.
#     If it does not load: whether DJL's prebuilt JNI (built for libtorch 2.7.1) can be loaded at
#     all against the machine's torch libraries (djl.jni_vs_torch). Nothing is compiled.
#     The train runs are started without -Djna.library.path: the application must find torch's
#     libcudart itself (djl.gpu_probe.trainsight); only if it does not is the path passed, so the
#     rest still runs. Each run's summary is also checked for what trainsight adds on a GPU:
#     train.*.gpu_match (the GPU diagnosed is the one nvidia-smi shows the JVM on), .own_memory
#     (memory judged on the run's own PID, within 10 % or 256 MiB of nvidia-smi's per-process
#     figure), .phase_split (device time on every 20th step, the others timed whole).
#  G. trainsight doctor --json with the engine's environment: its verdict, and its CUDA-to-NVML
#     mapping against nvidia-smi's UUIDs and torch's device order (doctor.*); doctor.mkl: the host
#     CPU's vendor and MKL's code path with the machine's torch (on AMD, trainsight's stub should
#     have it choose by instruction sets).
#  H. The mapping under CUDA_VISIBLE_DEVICES: by UUID, and by index with CUDA_DEVICE_ORDER=
#     PCI_BUS_ID, for the last GPU (map.*).
# This is the project's copy of shared/device/gpu-check.sh (scripts/device/, put into .device/ by
# scripts/device/bundle.sh).
set -u

OUT="${OUT:-/tmp/gpu-check-out}"; mkdir -p "$OUT"
W="$(mktemp -d /tmp/gpucheck.XXXXXX)"
BUDGET="${GPU_CHECK_BUDGET:-540}"
T0=$SECONDS
D="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG="$OUT/summary.txt"; : > "$LOG"
RES="$OUT/results.tsv"; : > "$RES"

say() { printf '%s\n' "$*" | tee -a "$LOG"; }
left() { echo $(( BUDGET - (SECONDS - T0) )); }
# result NAME STATUS DETAIL   (STATUS: PASS FAIL WARN SKIP INFO)
result() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RES"; say "[$2] $1: $3"; }
# tmo SECS CMD...: timeout bounded by the remaining budget; 124 without running when none is left
tmo() {
  local want=$1; shift
  local l; l=$(( $(left) - 10 ))
  if [ "$l" -lt 5 ]; then echo "(skipped: budget spent) $*" >&2; return 124; fi
  [ "$want" -gt "$l" ] && want=$l
  timeout -k 5 "$want" "$@"
}

finish() {
  trap - EXIT INT TERM
  [ -n "${LOADPID:-}" ] && kill "$LOADPID" 2>/dev/null
  say ""
  say "================ RESULT TABLE ($(( SECONDS - T0 )) s) ================"
  if [ -s "$RES" ]; then
    awk -F'\t' '{printf "%-5s %-34s %s\n", $2, $1, substr($3,1,150)}' "$RES" | tee -a "$LOG"
    say "totals: $(cut -f2 "$RES" | sort | uniq -c | tr '\n' ' ')"
  fi
  cp "$LOG" "$W/summary.txt" 2>/dev/null
  tar czf "$OUT/details.tgz" -C "$W" --exclude=./djl --exclude='*.ckpt' --exclude=./cudart --exclude=./tmp --exclude=./jni . 2>/dev/null
  rm -rf "$W"
}
trap finish EXIT
trap 'say "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- tools
PY=""
for p in /opt/torch/.venv/bin/python3 "$(command -v python3 2>/dev/null)"; do
  [ -n "$p" ] && [ -x "$p" ] && { PY="$p"; break; }
done
JAVA=""
for j in "$D/jre/bin/java" "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java 2>/dev/null)"; do
  [ -n "$j" ] && [ -x "$j" ] && { JAVA="$j"; break; }
done
# the bundle's layout (bundle.sh): lib/*.jar holds trainsight.jar and its runtime jars, main-class
# the Main-Class of trainsight.jar's manifest
CP="$D/lib/*"
MAIN="$(head -1 "$D/main-class" 2>/dev/null | tr -d '[:space:]')"
MAIN_FROM="$D/main-class"
[ -n "$MAIN" ] || { MAIN=io.trainsight.cli.TrainsightCli; MAIN_FROM="default (no $D/main-class)"; }
JOPTS="-XX:-UsePerfData -XX:ErrorFile=$W/hs_err_%p.log -Djava.awt.headless=true"

say "== gpu-check $(date -u +%FT%TZ) on $(hostname) budget ${BUDGET}s work $W"
say "bundle: $(grep -m1 '^commit' "$D/bundle.txt" 2>/dev/null || echo 'no bundle.txt'); $(ls "$D"/lib/*.jar 2>/dev/null | wc -l) jars in $D/lib"
say "python: ${PY:-none}   java: ${JAVA:-none}   main class: $MAIN (from $MAIN_FROM)"
if [ -n "$JAVA" ]; then
  "$JAVA" -version 2>&1 | head -1 | tee -a "$LOG"
  if ver=$(tmo 30 "$JAVA" $JOPTS -cp "$CP" "$MAIN" --version 2>&1); then
    result cli.start PASS "$MAIN --version: $(echo "$ver" | head -1)"
  else
    result cli.start FAIL "$MAIN (from $MAIN_FROM) not runnable from $CP: $(echo "$ver" | tail -1 | cut -c1-200)"
  fi
  ls "$D"/lib/pytorch-native-cpu*.jar >/dev/null 2>&1 && \
    say "note: the CPU libtorch jar is in the bundle; PYTORCH_LIBRARY_PATH still overrides it"
else
  result cli.start FAIL "no java: carry .device (bundle.sh puts a runtime in .device/jre)"
fi

# ---------------------------------------------------------------- A. nvidia-smi reference
HAVE_SMI=0
if command -v nvidia-smi >/dev/null 2>&1 && tmo 30 nvidia-smi -L > "$W/smi-L.txt" 2>&1; then
  HAVE_SMI=1
  cat "$W/smi-L.txt" | tee -a "$LOG"
  tmo 40 nvidia-smi -q > "$OUT/nvidia-smi-q.txt" 2>&1
  say "== nvidia-smi -q (full copy in nvidia-smi-q.txt)"
  cat "$OUT/nvidia-smi-q.txt"
  grep -E 'Driver Version|CUDA Version|Product Name|Bus Id|Persistence Mode|MIG Mode' -A0 "$OUT/nvidia-smi-q.txt" | head -12 >> "$LOG"
  tmo 20 nvidia-smi --help-query-gpu 2>/dev/null | grep -oE '^"[a-z_.]+"' | tr -d '"' | sort -u > "$W/smi-fields-valid.txt"
  want="index uuid name pci.bus_id driver_version memory.total memory.reserved memory.used memory.free
        utilization.gpu utilization.memory temperature.gpu power.draw power.draw.average
        power.draw.instant enforced.power.limit clocks.sm clocks.mem clocks.max.sm clocks.max.mem
        clocks_event_reasons.active clocks_throttle_reasons.active pcie.link.gen.current
        pcie.link.width.current pcie.link.gen.max pcie.link.width.max persistence_mode mig.mode.current"
  FIELDS=""
  for f in $want; do
    if [ -s "$W/smi-fields-valid.txt" ]; then grep -qx "$f" "$W/smi-fields-valid.txt" || continue
    else tmo 10 nvidia-smi --query-gpu="$f" --format=csv >/dev/null 2>&1 || continue; fi
    FIELDS="${FIELDS:+$FIELDS,}$f"
  done
  say "nvidia-smi query fields: $FIELDS"
  LOADFIELDS=$(echo "$FIELDS" | tr ',' '\n' | grep -vE '^(name|pci.bus_id|driver_version|pcie.link.*|persistence_mode|mig.mode.current|clocks.max.*)$' | paste -sd, -)
else
  result nvidia-smi FAIL "nvidia-smi missing or failing: $(tail -1 "$W/smi-L.txt" 2>/dev/null)"
fi
smi_snap() { tmo 20 nvidia-smi --query-gpu="$FIELDS" --format=csv,nounits > "$1" 2>&1; }

# ---------------------------------------------------------------- comparison helper
cat > "$W/compare.py" <<'PYEOF'
import csv, json, math, os, re, statistics, sys
from datetime import datetime

RES = os.environ["RES"]
def result(name, status, detail):
    with open(RES, "a") as f:
        f.write(f"{name}\t{status}\t{detail}\n")
    print(f"[{status}] {name}: {detail}", flush=True)

def num(v):
    if v is None: return None
    if isinstance(v, (int, float)): return float(v)
    v = str(v).strip()
    if not v or v.startswith("[") or v in ("N/A", "-"): return None
    try:
        return float(int(v, 16)) if v.lower().startswith("0x") else float(v)
    except ValueError:
        return None

def smi_rows(path):
    rows = []
    try:
        with open(path) as f:
            r = csv.reader(f, skipinitialspace=True)
            head = None
            for line in r:
                if not line: continue
                if head is None:
                    head = [re.sub(r"\s*\[.*\]$", "", h.strip()) for h in line]; continue
                if len(line) != len(head): continue
                rows.append(dict(zip(head, [c.strip() for c in line])))
    except OSError:
        pass
    return rows

def ts_lines(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try: out.append(json.loads(line))
                    except ValueError: pass
    except OSError:
        pass
    return out

def med(xs):
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    return statistics.median(xs) if xs else None

def uid(u):
    return (u or "").lower().replace("gpu-", "").replace("mig-", "").strip()

# metric: (trainsight key, nvidia-smi field(s), factor to smi unit, abs tol, rel tol)
MIB = 1 / (1024 * 1024)
METRICS = [
    ("memory_total_bytes", ["memory.total"], MIB, 2, 0),
    ("memory_reserved_bytes", ["memory.reserved"], MIB, 2, 0),
    ("memory_used_bytes", ["memory.used"], MIB, 32, 0.002),
    ("utilization_gpu_percent", ["utilization.gpu"], 1, 10, 0),
    ("utilization_memory_percent", ["utilization.memory"], 1, 15, 0),
    ("temperature_celsius", ["temperature.gpu"], 1, 3, 0),
    ("power_usage_milliwatts", ["power.draw", "power.draw.average"], 0.001, 20, 0.10),
    ("power_limit_milliwatts", ["enforced.power.limit"], 0.001, 1, 0),
    ("clock_sm_mhz", ["clocks.sm"], 1, 30, 0.05),
    ("clock_memory_mhz", ["clocks.mem"], 1, 10, 0.02),
    ("clock_sm_max_mhz", ["clocks.max.sm"], 1, 1, 0),
    ("clock_memory_max_mhz", ["clocks.max.mem"], 1, 1, 0),
]
STATIC = {"clock_sm_max_mhz", "clock_memory_max_mhz", "power_limit_milliwatts"}
# idle readings move between the two tools' samples: double these tolerances at idle
LOOSE_AT_IDLE = {"clock_sm_mhz", "clock_memory_mhz", "power_usage_milliwatts", "utilization_memory_percent",
                 "utilization_gpu_percent"}

def compare(phase, ts_path, smi_path, skip_first=0):
    lines = ts_lines(ts_path)
    rows = smi_rows(smi_path)
    if not lines:
        result(f"{phase}.trainsight-json", "FAIL", f"no JSON from trainsight in {os.path.basename(ts_path)}"); return
    if not rows:
        result(f"{phase}.nvidia-smi", "FAIL", f"no rows in {os.path.basename(smi_path)}"); return
    lines = lines[skip_first:] or lines
    rows = rows[skip_first:] or rows
    first = lines[-1]
    gpus = first.get("gpus", [])
    if not gpus:
        result(f"{phase}.gpus", "FAIL", "trainsight lists no GPU: " + str(first.get("no_gpu_reason"))); return
    by_uuid = {}
    for r in rows:
        by_uuid.setdefault(uid(r.get("uuid")), []).append(r)
    if phase == "idle":
        dv = first.get("driver_version"); sdv = rows[0].get("driver_version")
        result("idle.driver_version", "PASS" if dv == sdv else "FAIL", f"trainsight {dv} / nvidia-smi {sdv}; nvml {first.get('nvml_version')}")
        smi_idx = {uid(r.get("uuid")): r.get("index") for r in rows}
        order = [(g["index"], smi_idx.get(uid(g.get("uuid")))) for g in gpus]
        ok = all(str(a) == str(b) for a, b in order) and len(gpus) == len(smi_idx)
        result("idle.index_order", "PASS" if ok else "FAIL", f"(trainsight idx, nvidia-smi idx) by UUID: {order}; smi count {len(smi_idx)}")
    for g in gpus:
        i = g.get("index"); u = uid(g.get("uuid"))
        srows = by_uuid.get(u)
        tag = f"{phase}.gpu{i}"
        if not srows:
            result(f"{tag}.uuid", "FAIL", f"trainsight UUID {g.get('uuid')} not in nvidia-smi {list(by_uuid)}"); continue
        if phase == "idle":
            sname = srows[0].get("name")
            result(f"{tag}.name_uuid", "PASS" if sname == g.get("name") else "FAIL", f"{g.get('name')} / {sname}; {g.get('uuid')}")
            if g.get("lost"):
                result(f"{tag}.lost", "FAIL", "trainsight marks the GPU lost")
        tsv = {}
        for line in lines:
            for gg in line.get("gpus", []):
                if uid(gg.get("uuid")) == u:
                    for k, v in gg.items():
                        if isinstance(v, (int, float)) and not isinstance(v, bool):
                            tsv.setdefault(k, []).append(float(v))
        for key, fields, factor, atol, rtol in METRICS:
            if phase != "idle" and key in STATIC:
                continue
            field = next((f for f in fields if f in srows[0]), None)
            sv = med([num(r.get(field)) for r in srows]) if field else None
            tv = med(tsv.get(key, []))
            name = f"{tag}.{key}"
            if field is None:
                result(name, "SKIP", "nvidia-smi has no " + "/".join(fields)); continue
            if tv is None and sv is None:
                result(name, "SKIP", "neither reports it"); continue
            if tv is None:
                result(name, "FAIL", f"trainsight null, nvidia-smi {field}={sv}"); continue
            if sv is None:
                result(name, "WARN", f"trainsight {tv*factor:.1f}, nvidia-smi {field} N/A"); continue
            t = tv * factor
            tol = max(atol, rtol * abs(sv))
            if phase == "idle" and key in LOOSE_AT_IDLE:
                tol *= 2
            d = t - sv
            status = "PASS" if abs(d) <= tol else "FAIL"
            extra = ""
            if key == "memory_used_bytes" and status == "FAIL":
                res_ = med([num(r.get("memory.reserved")) for r in srows])
                if res_ and abs(abs(d) - res_) <= max(16, 0.05 * res_):
                    extra = f" (difference = memory.reserved {res_:.0f} MiB: used/reserved semantics differ)"
            if phase != "idle" and key in ("utilization_gpu_percent",) and sv < 50:
                extra += " (nvidia-smi shows no load: was the load running?)"
            result(name, status, f"trainsight {t:.1f} / nvidia-smi {field} {sv:.1f} (diff {d:+.1f}, tol {tol:.1f}){extra}")
        # clock-event (throttle) reasons: OR of the masks seen in the window
        tm = 0; tseen = False
        for x in tsv.get("throttle_reasons_mask", []):
            tm |= int(x); tseen = True
        field = next((f for f in ("clocks_event_reasons.active", "clocks_throttle_reasons.active") if f in srows[0]), None)
        sm = 0; sseen = False
        if field:
            for r in srows:
                v = num(r.get(field))
                if v is not None: sm |= int(v); sseen = True
        if not tseen and sseen:
            result(f"{tag}.throttle_mask", "FAIL", f"trainsight null, nvidia-smi {hex(sm)}")
        elif tseen and tm & ~0x1FF:
            result(f"{tag}.throttle_mask", "FAIL", f"trainsight {hex(tm)} has bits outside NVML's 0x1FF")
        elif tseen and sseen:
            result(f"{tag}.throttle_mask", "PASS" if tm == sm else "WARN", f"OR over window: trainsight {hex(tm)} / nvidia-smi {hex(sm)}")
        else:
            result(f"{tag}.throttle_mask", "SKIP", "not reported")
        if phase == "idle":
            gen = srows[0].get("pcie.link.gen.current"); wid = srows[0].get("pcie.link.width.current")
            result(f"{tag}.pcie_link", "INFO", f"nvidia-smi gen {gen} x{wid} (max gen {srows[0].get('pcie.link.gen.max')} x{srows[0].get('pcie.link.width.max')}); trainsight does not report link gen/width")
        if phase == "load":
            # energy counter slope vs mean power, over the trainsight window
            pts = []
            for line in lines:
                for gg in line.get("gpus", []):
                    if uid(gg.get("uuid")) == u and gg.get("energy_millijoules") is not None:
                        try:
                            t = datetime.fromisoformat(line["time"].replace("Z", "+00:00")).timestamp()
                            pts.append((t, gg["energy_millijoules"], gg.get("power_usage_milliwatts")))
                        except (KeyError, ValueError):
                            pass
            if len(pts) >= 4 and pts[-1][0] > pts[0][0]:
                slope_w = (pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0]) / 1000
                pw = med([p[2] / 1000 for p in pts if p[2] is not None])
                ok = pw and abs(slope_w - pw) <= max(25, 0.15 * pw)
                result(f"{tag}.energy_vs_power", "PASS" if ok else "FAIL", f"energy slope {slope_w:.1f} W vs median power {pw} W over {pts[-1][0]-pts[0][0]:.1f} s")
            else:
                result(f"{tag}.energy_vs_power", "SKIP", "energy counter absent or too few samples")

def processes(ts_path, apps_path, load_pid):
    lines = ts_lines(ts_path)
    tp = {}
    for line in lines[-3:]:
        for g in line.get("gpus", []):
            for p in g.get("processes", []) or []:
                tp[int(p["pid"])] = p.get("used_memory_bytes")
    sp = {}
    try:
        for row in csv.reader(open(apps_path), skipinitialspace=True):
            if len(row) >= 2 and row[0].strip().isdigit():
                sp[int(row[0])] = num(row[1])
    except OSError:
        pass
    detail = f"trainsight pids {sorted(tp)} / nvidia-smi pids {sorted(sp)} / load pid {load_pid}"
    if not sp and not tp:
        result("load.processes", "WARN", detail + " (both empty: PID namespace hides processes?)"); return
    if set(tp) != set(sp):
        result("load.processes", "FAIL", detail); return
    bad = []
    for pid, mib in sp.items():
        b = tp.get(pid)
        if b is None or mib is None or abs(b / 1048576 - mib) > 2:
            bad.append((pid, None if b is None else round(b / 1048576, 1), mib))
    result("load.processes", "FAIL" if bad else "PASS", detail + (f"; memory MiB mismatches {bad}" if bad else "; memory matches"))

def pcie(ts_path, dmon_path):
    lines = ts_lines(ts_path)[1:]
    rx = med([g.get("pcie_rx_kilobytes_per_second") for l in lines for g in l.get("gpus", [])[:1]])
    tx = med([g.get("pcie_tx_kilobytes_per_second") for l in lines for g in l.get("gpus", [])[:1]])
    cols = None; drx = []; dtx = []
    try:
        for line in open(dmon_path):
            parts = line.split()
            if line.startswith("#") and "rxpci" in line:
                cols = parts[1:]; continue
            if line.startswith("#") or not parts or cols is None: continue
            if parts[0] != "0": continue
            row = dict(zip(cols, parts))
            drx.append(num(row.get("rxpci"))); dtx.append(num(row.get("txpci")))
    except OSError:
        pass
    srx, stx = med(drx), med(dtx)
    detail = f"trainsight rx {rx} tx {tx} KB/s; dmon rxpci {srx} txpci {stx} MB/s (H2D copy load)"
    if rx is None and tx is None:
        result("pcie.throughput", "FAIL" if srx else "SKIP", detail); return
    if srx is None:
        result("pcie.throughput", "WARN", detail + " (no dmon reference)"); return
    if srx < 1000:
        result("pcie.throughput", "WARN", detail + " (reference shows little traffic)"); return
    direction_ok = (rx or 0) > 3 * (tx or 0)
    mag_ok = abs((rx or 0) / 1000 - srx) <= 0.5 * srx
    result("pcie.throughput", "PASS" if (direction_ok and mag_ok) else "FAIL",
           detail + ("" if direction_ok else " (RX/TX swapped?)") + ("" if mag_ok else " (magnitude off)"))

def ordering(torch_json, ts_path):
    try:
        t = json.load(open(torch_json))
    except (OSError, ValueError):
        result("cuda_vs_nvml.order", "SKIP", "no torch device list"); return
    lines = ts_lines(ts_path)
    nv = [uid(g.get("uuid")) for g in (lines[0].get("gpus", []) if lines else [])]
    cu = [uid(x) for x in t.get("uuids", [])]
    mapping = [nv.index(c) if c in nv else None for c in cu]
    same = mapping == list(range(len(cu)))
    result("cuda_vs_nvml.order", "PASS" if same else "WARN",
           f"cuda index -> NVML index {mapping}; CUDA_VISIBLE_DEVICES={t.get('visible')} CUDA_DEVICE_ORDER={t.get('order')}"
           " (trainsight's own mapping: doctor.mapping)")

def run_summary(name, run_dir, log_path, apps_path, want_steps):
    s = None
    try:
        s = json.load(open(os.path.join(run_dir, "summary.json")))
    except (OSError, ValueError):
        pass
    log = open(log_path, errors="replace").read() if os.path.exists(log_path) else ""
    on_gpu = re.search(r"training on (gpu\(\d+\)|cuda\S*)", log)
    seen = False
    try:
        seen = "java" in open(apps_path).read().lower() or os.path.getsize(apps_path) > 0
    except OSError:
        pass
    if s is None:
        result(name, "FAIL", "no summary.json; log tail: " + " | ".join(log.strip().splitlines()[-3:])[:300]); return
    tot = s.get("totals", {}); run = s.get("run", {})
    devs = [(d.get("device"), d.get("util_mean_percent"), d.get("memory_peak_bytes")) for d in s.get("devices", [])]
    finds = [(f.get("kind"), f.get("device"), f.get("severity")) for f in s.get("findings", [])]
    loss = tot.get("last_loss")
    ok = (on_gpu is not None and loss is not None and math.isfinite(float(loss))
          and (tot.get("last_step") or 0) >= want_steps and run.get("stop_reason") in (None, "BUDGET", "EARLY_STOPPING"))
    util_ok = any((u or 0) > 0 for _, u, _ in devs)
    skipped = tot.get("skipped_steps") or 0
    steps = tot.get("steps") or 0
    detail = (f"device {on_gpu.group(1) if on_gpu else '?'}; steps {tot.get('first_step')}..{tot.get('last_step')} "
              f"stop {run.get('stop_reason')} skipped {skipped} loss {loss} {tot.get('steps_per_s')} steps/s; "
              f"devices (id, util%, mem peak) {devs}; findings {finds}")
    result(name, "PASS" if (ok and util_ok) else "FAIL", detail)
    result(name + ".on_gpu_evidence", "PASS" if seen else "WARN",
           "java PID in nvidia-smi compute-apps while training" if seen else "java not seen in nvidia-smi compute-apps (PID namespace?)")
    if steps and skipped > max(2, 0.1 * steps):
        result(name + ".skipped_steps", "WARN", f"{skipped} of {steps} steps skipped (inf/NaN gradients)")

def java_apps(apps_path):
    """nvidia-smi compute-apps lines of the JVM: pid, used MiB, name, gpu uuid."""
    rows = []
    try:
        for row in csv.reader(open(apps_path), skipinitialspace=True):
            if len(row) >= 4 and row[0].strip().isdigit():
                rows.append((int(row[0]), num(row[1]), row[2].strip(), uid(row[3])))
    except OSError:
        pass
    return rows

def gpu_run(name, run_dir, apps_path, want_steps):
    """What trainsight adds on a GPU: the GPU matched, the run's own memory, the device-time split."""
    try:
        s = json.load(open(os.path.join(run_dir, "summary.json")))
    except (OSError, ValueError):
        result(name + ".gpu_match", "SKIP", "no summary.json"); return
    dev = (s.get("devices") or [{}])[0]
    device = dev.get("device") or "?"
    gpus = (s.get("environment") or {}).get("gpus") or []
    apps = java_apps(apps_path)
    seen = sorted({a[3] for a in apps})
    diagnosed = None
    if device.startswith("gpu") and device[3:].isdigit() and int(device[3:]) < len(gpus):
        diagnosed = uid(gpus[int(device[3:])].get("uuid"))
    roles = [(g.get("index"), g.get("role")) for g in gpus]
    if not seen:
        result(name + ".gpu_match", "WARN", f"diagnosed {device} ({diagnosed}); the JVM not seen in compute-apps (PID namespace?); roles {roles}")
    else:
        ok = diagnosed in seen
        result(name + ".gpu_match", "PASS" if ok else "FAIL", f"diagnosed {device} ({diagnosed}); nvidia-smi shows the JVM on {seen}; roles {roles}; {(s.get('environment') or {}).get('devices_watched')}")
    basis = dev.get("memory_basis")
    peak = dev.get("memory_peak_bytes")
    smi_peak = max([a[1] for a in apps if a[1] is not None] or [0])
    detail = f"memory_basis {basis}; trainsight peak {None if peak is None else round(peak / 1048576)} MiB vs nvidia-smi per-process max {smi_peak:.0f} MiB (polled every 2 s); capacity {dev.get('memory_capacity_bytes')}; others {dev.get('other_processes_memory_peak_bytes')}"
    if basis != "process":
        result(name + ".own_memory", "WARN" if not apps else "FAIL", detail + " (the run's PID was not matched)")
    elif not smi_peak or peak is None:
        result(name + ".own_memory", "WARN", detail + " (no reference)")
    else:
        d = abs(peak / 1048576 - smi_peak)
        result(name + ".own_memory", "PASS" if d <= max(256, 0.10 * smi_peak) else "FAIL", detail + f" (diff {d:.0f} MiB)")
    measured = (s.get("time_split") or {}).get("measured") or ""
    bad = []
    try:
        for line in open(os.path.join(run_dir, "steps.jsonl")):
            st = json.loads(line)
            want = "device" if st["step"] % 20 == 0 else "none"
            if st.get("phase_timing") != want:
                bad.append((st["step"], st.get("phase_timing")))
    except (OSError, ValueError, KeyError) as e:
        bad.append(str(e))
    ok = measured.startswith("device time on") and not bad
    result(name + ".phase_split", "PASS" if ok else "FAIL", f"measured: {measured!r}; steps off the every-20th rule: {bad[:5]}; split {s.get('time_split')}"[:600])

def mkl_check(line):
    """The host CPU's vendor and the code path MKL runs (trainsight's stub on AMD/Hygon CPUs)."""
    try:
        vendor = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("vendor_id")), "?")
    except OSError:
        vendor = "?"
    if vendor in ("AuthenticAMD", "HygonGenuine"):
        status = "PASS" if "chosen by this" in line else "WARN"
    else:
        status = "INFO"
    result("doctor.mkl", status, f"host CPU {vendor}; MKL: {line or '(doctor said nothing of MKL)'}"[:600])

def doctor(path, smi_csv, torch_json, expect_gpu):
    """doctor --json: its verdict, and every CUDA device mapped to the NVML GPU of the same UUID."""
    try:
        d = json.load(open(path))
    except (OSError, ValueError) as e:
        result("doctor.json", "FAIL", f"not JSON: {e}"); return
    status = "PASS" if d.get("can_train") and (d.get("device", "").startswith("gpu") or not expect_gpu) else ("WARN" if d.get("can_train") else "FAIL")
    result("doctor.verdict", status, f"{d.get('verdict')}; problems {[p.get('cause') for p in d.get('problems', [])]}"[:600])
    eng = d.get("engine") or {}
    rt = eng.get("cuda_runtime") or {}
    result("djl.gpu_probe.trainsight", "PASS" if (eng.get("gpu_count") or 0) > 0 else "FAIL",
           f"DJL counts {eng.get('gpu_count')} GPU(s) without a -Djna.library.path of ours; cudart {rt.get('loaded') or rt.get('error')}; jna.library.path {rt.get('jna_library_path')}")
    nv = [uid(g.get("uuid")) for g in (d.get("nvml") or {}).get("gpus", [])]
    smi = [uid(r.get("uuid")) for r in smi_rows(smi_csv)]
    cu = (d.get("cuda_driver") or {}).get("devices") or []
    pairs = [(c.get("ordinal"), c.get("nvml_index"), uid(c.get("uuid"))) for c in cu]
    ok = bool(cu) and all(i is not None and i < len(nv) and nv[i] == u for _, i, u in pairs)
    result("doctor.mapping", "PASS" if ok else "FAIL", f"(cuda ordinal, NVML index, uuid) {pairs}; NVML order {nv}; nvidia-smi order {smi}; {(d.get('cuda_driver') or {}).get('error')}")
    mkl_check(d.get("mkl") or "")
    try:
        t = json.load(open(torch_json))
        tu = [uid(x) for x in t.get("uuids", [])]
        same = tu == [u for _, _, u in pairs]
        result("doctor.vs_torch", "PASS" if same else "FAIL", f"torch's cuda order {tu}; the CUDA driver's through trainsight {[u for _, _, u in pairs]}")
    except (OSError, ValueError):
        result("doctor.vs_torch", "SKIP", "no torch device list (the load did not start)")

def mapped(name, path, want_index, smi_csv):
    """doctor --json run under CUDA_VISIBLE_DEVICES: cuda:0 must be NVML GPU want_index."""
    try:
        d = json.load(open(path))
    except (OSError, ValueError) as e:
        result(name, "FAIL", f"not JSON: {e}"); return
    cu = (d.get("cuda_driver") or {}).get("devices") or []
    got = cu[0].get("nvml_index") if cu else None
    result(name, "PASS" if got == want_index and len(cu) == 1 else "FAIL",
           f"CUDA_VISIBLE_DEVICES={(d.get('cuda_driver') or {}).get('cuda_visible_devices')} order={(d.get('cuda_driver') or {}).get('cuda_device_order')}: cuda devices {[(c.get('ordinal'), c.get('nvml_index')) for c in cu]}, want cuda:0 = NVML {want_index}; {(d.get('cuda_driver') or {}).get('error')}")

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "compare": compare(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 0)
    elif cmd == "processes": processes(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "pcie": pcie(sys.argv[2], sys.argv[3])
    elif cmd == "ordering": ordering(sys.argv[2], sys.argv[3])
    elif cmd == "run":
        run_summary(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
        gpu_run(sys.argv[2], sys.argv[3], sys.argv[5], int(sys.argv[6]))
    elif cmd == "doctor": doctor(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1")
    elif cmd == "mapped": mapped(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
PYEOF
export RES
# compare.py writes its own lines to $RES and prints them; show them in the log too
cmp() { if [ -n "$PY" ]; then tmo 60 "$PY" "$W/compare.py" "$@" 2>&1 | tee -a "$LOG"; else result "compare.$1" SKIP "no python"; fi; }

# ---------------------------------------------------------------- B. idle comparison
if [ -n "$JAVA" ] && [ "$HAVE_SMI" = 1 ]; then
  say "== B. trainsight gpus --json on the idle GPU"
  smi_snap "$W/smi-idle-before.csv"
  s=$SECONDS
  tmo 60 "$JAVA" $JOPTS -cp "$CP" "$MAIN" gpus --json > "$W/gpus-idle.json" 2> "$W/gpus-idle.err"; rc=$?
  smi_snap "$W/smi-idle-after.csv"
  say "gpus --json exit $rc in $(( SECONDS - s )) s; stderr: $(tail -2 "$W/gpus-idle.err" | tr '\n' ' ')"
  head -c 2000 "$W/gpus-idle.json" | tee -a "$LOG"; echo | tee -a "$LOG"
  if [ "$rc" = 0 ]; then
    # both snapshots bracket the trainsight sample: compare against their rows together
    { cat "$W/smi-idle-before.csv"; tail -n +2 "$W/smi-idle-after.csv"; } > "$W/smi-idle.csv"
    cmp compare idle "$W/gpus-idle.json" "$W/smi-idle.csv"
  else
    result idle.gpus-json FAIL "exit $rc: $(tail -1 "$W/gpus-idle.err")"
  fi
fi

# ---------------------------------------------------------------- C/D. under load
LOAD_OK=0
if [ -n "$PY" ] && [ "$HAVE_SMI" = 1 ]; then
  cat > "$W/load.py" <<'PYEOF'
import os, sys, time, json
ready, phase_file, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
import torch
t_end = time.time() + limit
dev = torch.device("cuda", 0)
a = torch.randn(8192, 8192, device=dev, dtype=torch.float16); b = torch.randn_like(a)
keep = torch.empty(20 * 1024**3 // 2, dtype=torch.float16, device=dev)  # hold 20 GiB
pinned = torch.empty(512 * 1024**2, dtype=torch.uint8).pin_memory()
dst = torch.empty(pinned.shape, dtype=torch.uint8, device=dev)
torch.cuda.synchronize()
info = {"pid": os.getpid(), "torch": torch.__version__, "cuda": torch.version.cuda,
        "uuids": [str(torch.cuda.get_device_properties(i).uuid) for i in range(torch.cuda.device_count())],
        "visible": os.environ.get("CUDA_VISIBLE_DEVICES"), "order": os.environ.get("CUDA_DEVICE_ORDER")}
open(ready + ".tmp", "w").write(json.dumps(info)); os.rename(ready + ".tmp", ready)
phase, checked, n = "mm", 0.0, 0
while time.time() < t_end:
    now = time.time()
    if now - checked > 0.2:
        checked = now
        try: phase = open(phase_file).read().strip() or phase
        except OSError: pass
        if phase == "stop": break
    if phase == "h2d":
        dst.copy_(pinned, non_blocking=True)
    else:
        c = a @ b
    n += 1
    if n % 16 == 0: torch.cuda.synchronize()
torch.cuda.synchronize()
print("load done", n, "iterations")
PYEOF
  echo mm > "$W/phase"
  say "== C. load: FP16 8192^2 matmul loop holding 20 GiB on cuda:0"
  "$PY" "$W/load.py" "$W/ready.json" "$W/phase" 150 > "$W/load.log" 2>&1 & LOADPID=$!
  for _ in $(seq 1 90); do [ -f "$W/ready.json" ] && break; kill -0 $LOADPID 2>/dev/null || break; sleep 1; done
  if [ -f "$W/ready.json" ]; then
    LOAD_OK=1
    say "load ready: $(cat "$W/ready.json")"
    sleep 3
    tmo 16 nvidia-smi --query-gpu="timestamp,$LOADFIELDS" --format=csv,nounits -lms 500 > "$W/smi-load.csv" 2>&1 &
    SMI=$!
    if [ -n "$JAVA" ]; then
      tmo 40 "$JAVA" $JOPTS -cp "$CP" "$MAIN" gpus --json --watch --interval 500ms --count 26 > "$W/gpus-load.jsonl" 2> "$W/gpus-load.err" &
      TSP=$!
    fi
    sleep 6
    tmo 15 nvidia-smi --query-compute-apps=pid,used_memory,gpu_uuid,process_name --format=csv,noheader,nounits > "$W/apps-load.csv" 2>&1
    rc=none; [ -n "${TSP:-}" ] && { wait "$TSP"; rc=$?; }
    wait "$SMI" 2>/dev/null
    say "gpus --watch exit $rc, $(wc -l < "$W/gpus-load.jsonl" 2>/dev/null) lines; nvidia-smi rows $(wc -l < "$W/smi-load.csv")"
    if [ -n "$JAVA" ]; then
      cmp compare load "$W/gpus-load.jsonl" "$W/smi-load.csv" 2
      cmp processes "$W/gpus-load.jsonl" "$W/apps-load.csv" "$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$W/ready.json")"
      cmp ordering "$W/ready.json" "$W/gpus-load.jsonl"
    fi
    # GPM (Hopper's SM activity / tensor activity counters through NVML), recorded only: does this
    # GPU and driver offer them, and what do they read under the matmul load?
    cat > "$W/gpm.py" <<'PYEOF'
import ctypes, time
try:
    import pynvml as n
except ImportError:
    print("INFO gpm: no pynvml"); raise SystemExit
try:
    n.nvmlInit(); h = n.nvmlDeviceGetHandleByIndex(0)
    sup = n.nvmlGpmQueryDeviceSupport(h)
    ok = bool(getattr(sup, "isSupportedDevice", 0))
    print("INFO gpm.supported", ok)
    if ok:
        ids = {"SM_UTIL": 2, "SM_OCCUPANCY": 3, "ANY_TENSOR_UTIL": 5, "DRAM_BW_UTIL": 10, "FP16_UTIL": 13}
        s1 = n.nvmlGpmSampleAlloc(); s2 = n.nvmlGpmSampleAlloc()
        n.nvmlGpmSampleGet(h, s1); time.sleep(1.0); n.nvmlGpmSampleGet(h, s2)
        g = n.c_nvmlGpmMetricsGet_t(); g.version = n.NVML_GPM_METRICS_GET_VERSION
        g.numMetrics = len(ids); g.sample1 = s1; g.sample2 = s2
        for i, v in enumerate(ids.values()): g.metrics[i].metricId = v
        n.nvmlGpmMetricsGet(ctypes.byref(g))
        print("INFO gpm.values " + " ".join(f"{k}={g.metrics[i].value:.1f}" for i, k in enumerate(ids)))
except Exception as e:
    print("INFO gpm: " + type(e).__name__ + ": " + str(e)[:200])
PYEOF
    gpm=$(tmo 20 "$PY" "$W/gpm.py" 2>&1 | tail -2 | tr '\n' ' ')
    result gpm INFO "${gpm:-no output}"
    say "== D. PCIe: pinned host->device copies"
    echo h2d > "$W/phase"; sleep 3
    tmo 15 nvidia-smi dmon -s t -d 1 -c 9 > "$W/dmon-pcie.txt" 2>&1 &
    DM=$!
    [ -n "$JAVA" ] && tmo 25 "$JAVA" $JOPTS -cp "$CP" "$MAIN" gpus --json --watch --interval 1s --count 9 > "$W/gpus-pcie.jsonl" 2> "$W/gpus-pcie.err"
    wait "$DM" 2>/dev/null
    [ -n "$JAVA" ] && cmp pcie "$W/gpus-pcie.jsonl" "$W/dmon-pcie.txt"
  else
    result load.start FAIL "python load did not start: $(tail -3 "$W/load.log" | tr '\n' ' ')"
  fi
  echo stop > "$W/phase"
  for _ in $(seq 1 15); do kill -0 "$LOADPID" 2>/dev/null || break; sleep 1; done
  kill "$LOADPID" 2>/dev/null; LOADPID=""
  say "load log: $(tail -2 "$W/load.log" | tr '\n' ' ')"
fi

# ---------------------------------------------------------------- F. DJL on CUDA
# djl.jni_vs_torch: extract the JNI of $PYTORCH_FLAVOR from the bundle's pytorch-jni jar, load torch's
# libraries from $TORCH_DIR/lib and then the JNI with RTLD_NOW; ldd -r counts what stays unresolved
jni_probe() {
  local jar so out v first n nf demangled
  jar=$(ls "$D"/lib/pytorch-jni-*.jar 2>/dev/null | head -1)
  so="jnilib/linux-x86_64/$PYTORCH_FLAVOR/libdjl_torch.so"
  if [ -z "$jar" ]; then result djl.jni_vs_torch FAIL "no pytorch-jni jar in $D/lib: rebuild the bundle"; return; fi
  cat > "$W/jni_probe.py" <<'PYEOF'
import ctypes, os, sys, zipfile
jar, member, torch_lib, out = sys.argv[1:5]
try:
    data = zipfile.ZipFile(jar).read(member)
except KeyError:
    print(f"NOJNI {member} is not in {os.path.basename(jar)}"); sys.exit(0)
os.makedirs(out, exist_ok=True)
path = os.path.join(out, "libdjl_torch.so")
with open(path, "wb") as f:
    f.write(data)
for n in ("libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"):
    p = os.path.join(torch_lib, n)
    if not os.path.exists(p):
        print("MISSING", n, flush=True); continue
    try:
        ctypes.CDLL(p, mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    except OSError as e:
        print("TORCHFAIL", n, e); sys.exit(0)
try:
    ctypes.CDLL(path, mode=os.RTLD_NOW)
    print("LOADED")
except OSError as e:
    print("FAIL", e)
PYEOF
  LD_LIBRARY_PATH="$TORCH_DIR/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    tmo 90 "$PY" "$W/jni_probe.py" "$jar" "$so" "$TORCH_DIR/lib" "$W/jni" > "$W/jni-probe.txt" 2>&1
  if [ -f "$W/jni/libdjl_torch.so" ] && command -v ldd >/dev/null 2>&1; then
    LD_LIBRARY_PATH="$TORCH_DIR/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" tmo 60 ldd -r "$W/jni/libdjl_torch.so" > "$W/jni-ldd.txt" 2>&1
  fi
  n=$(grep -c 'undefined symbol: .*libdjl_torch' "$W/jni-ldd.txt" 2>/dev/null); n=${n:-0}
  nf=$(grep 'not found' "$W/jni-ldd.txt" 2>/dev/null | awk '{print $1}' | sort -u | paste -sd' ' -)
  v=$(grep -E '^(LOADED|FAIL|TORCHFAIL|NOJNI)' "$W/jni-probe.txt" | tail -1)
  say "JNI probe ($so against $TORCH_DIR/lib): ${v:-no verdict} | ldd -r: $n undefined${nf:+, not found: $nf}"
  grep -q '^MISSING' "$W/jni-probe.txt" && say "not in $TORCH_DIR/lib: $(sed -n 's/^MISSING //p' "$W/jni-probe.txt" | paste -sd' ' -)"
  local tv="torch ${TV%% *}" what="prebuilt $PYTORCH_FLAVOR JNI (pytorch-jni, for libtorch $PYTORCH_VERSION)"
  case "$v" in
    LOADED)
      result djl.jni_vs_torch PASS "$what loads against $tv with every symbol bound: the engine failed elsewhere (see djl.engine)";;
    FAIL*"undefined symbol"*)
      first=$(echo "$v" | sed -n 's/.*undefined symbol: \([^ ,]*\).*/\1/p')
      demangled=$first
      for f in c++filt cu++filt /usr/local/cuda/bin/cu++filt; do
        command -v "$f" >/dev/null 2>&1 && { demangled=$(echo "$first" | "$f" 2>/dev/null | head -1); break; }
      done
      result djl.jni_vs_torch FAIL "$what cannot load against $tv: undefined symbol ${demangled:-$first}, $n undefined in all; needs libtorch $PYTORCH_VERSION $PYTORCH_FLAVOR in PYTORCH_LIBRARY_PATH or a JNI built for ${TV%% *} (not tried)";;
    FAIL*)
      result djl.jni_vs_torch FAIL "$what cannot load against $tv: $(echo "${v#FAIL }" | sed 's|^[^ ]*/libdjl_torch.so: ||' | cut -c1-160)${nf:+ (not found: $nf)}";;
    NOJNI*)
      result djl.jni_vs_torch FAIL "${v#NOJNI }: the bundle's pytorch-jni has no JNI for flavour $PYTORCH_FLAVOR";;
    TORCHFAIL*)
      result djl.jni_vs_torch WARN "torch's own library did not load outside python ($(echo "${v#TORCHFAIL }" | cut -c1-160)): the JNI was not tried";;
    *)
      result djl.jni_vs_torch WARN "probe gave no verdict: $(tail -1 "$W/jni-probe.txt" | cut -c1-160)";;
  esac
}

TORCH_DIR=""
[ -n "$PY" ] && TORCH_DIR="$(tmo 60 "$PY" -c 'import torch,os;print(os.path.dirname(torch.__file__))' 2>/dev/null | tail -1)"
if [ -z "$JAVA" ] || [ -z "$TORCH_DIR" ] || [ ! -d "$TORCH_DIR/lib" ]; then
  result djl.engine SKIP "no java or no python torch (torch dir '${TORCH_DIR}')"
else
  TV="$(tmo 60 "$PY" -c 'import torch;print(torch.__version__, torch.version.cuda)' 2>/dev/null | tail -1)"
  say "== F. DJL PyTorch engine on CUDA with the machine's torch $TV at $TORCH_DIR/lib (DJL 0.36's JNI is built for 2.7.1)"
  # DJL counts GPUs through JNA's Native.load("cudart"): an unversioned libcudart.so, or a versioned
  # one in jna.library.path / the ld cache. pip's CUDA wheels have only libcudart.so.NN off both.
  CUDA_MAJOR="${TV##* }"; CUDA_MAJOR="${CUDA_MAJOR%%.*}"
  site="$(dirname "$TORCH_DIR")"
  cudart="$(find "$site/nvidia" /usr/local/cuda/lib64 /usr/local/cuda*/targets/*/lib /usr/lib/x86_64-linux-gnu \
             -maxdepth 4 -name "libcudart.so.${CUDA_MAJOR}*" 2>/dev/null | sort | head -1)"
  [ -z "$cudart" ] && cudart="$(find "$site/nvidia" /usr/local /usr/lib -maxdepth 5 -name 'libcudart.so*' 2>/dev/null | sort | head -1)"
  mkdir -p "$W/cudart" "$W/djl" "$W/tmp"
  if [ -n "$cudart" ]; then ln -sf "$cudart" "$W/cudart/libcudart.so"; say "libcudart for DJL's probe: $cudart"
  else say "no libcudart found: DJL will see 0 GPUs"; fi
  say "ld cache libcudart: $(ldconfig -p 2>/dev/null | grep -c libcudart) entries"
  # DJL's own GPU probe (CudaUtils.main prints "count,cudaVersion,computeCapability"), as the README's
  # recipe runs it (no jna.library.path) and as the Docker image runs it (with one)
  p0="$(tmo 30 "$JAVA" -cp "$CP" ai.djl.util.cuda.CudaUtils 2>/dev/null | tail -1)"
  p1="$(tmo 30 "$JAVA" -Djna.library.path="$W/cudart" -cp "$CP" ai.djl.util.cuda.CudaUtils 2>/dev/null | tail -1)"
  case "$p0" in [1-9]*) result djl.gpu_probe.default PASS "DJL CudaUtils without jna.library.path: $p0";;
    *) result djl.gpu_probe.default WARN "DJL CudaUtils without jna.library.path: '$p0' (0 GPUs: --device gpu refused, auto falls back to CPU)";; esac
  case "$p1" in [1-9]*) result djl.gpu_probe.jna_path PASS "DJL CudaUtils with jna.library.path=$cudart: $p1";;
    *) result djl.gpu_probe.jna_path FAIL "DJL CudaUtils with jna.library.path: '$p1'";; esac
  export PYTORCH_LIBRARY_PATH="$TORCH_DIR/lib" PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=2.7.1 DJL_OFFLINE=true \
         DJL_CACHE_DIR="$W/djl" ENGINE_CACHE_DIR="$W/djl"
  JOPTS="$JOPTS -Djava.io.tmpdir=$W/tmp"
  # G. doctor with the engine's environment, without a -Djna.library.path of ours: the application
  # must find torch's libcudart itself. If it does not, the path is passed to the train runs below
  # so that they still run (djl.gpu_probe.trainsight says FAIL).
  say "== G. trainsight doctor --json"
  tmo 120 "$JAVA" $JOPTS -cp "$CP" "$MAIN" doctor --json > "$W/doctor.json" 2> "$W/doctor.err"
  say "doctor exit $?: $(grep -m1 '"verdict"' "$W/doctor.json")"
  LINES_BEFORE=$(wc -l < "$RES")
  cmp doctor "$W/doctor.json" "$W/smi-idle.csv" "$W/ready.json" 1
  if tail -n +$(( LINES_BEFORE + 1 )) "$RES" | grep -q $'^djl.gpu_probe.trainsight\tFAIL'; then
    [ -n "$cudart" ] && JOPTS="$JOPTS -Djna.library.path=$W/cudart"
    say "the application did not find libcudart: passing -Djna.library.path=$W/cudart to the train runs"
  fi
  # poll nvidia-smi's compute apps while a run trains, to see the JVM on the GPU
  train_run() { # NAME TIMEOUT STEPS ARGS...
    local name=$1 secs=$2 steps=$3; shift 3
    : > "$W/apps-$name.csv"
    ( while true; do nvidia-smi --query-compute-apps=pid,used_memory,process_name,gpu_uuid --format=csv,noheader,nounits 2>/dev/null | grep -i java >> "$W/apps-$name.csv"; sleep 2; done ) &
    local poll=$!
    local s=$SECONDS
    tmo "$secs" env TRAINSIGHT_LOG_LEVEL="${LOGLEVEL:-info}" "$JAVA" $JOPTS -cp "$CP" "$MAIN" train "$@" \
      > "$W/train-$name.log" 2>&1; local rc=$?
    kill $poll 2>/dev/null; wait $poll 2>/dev/null
    say "train $name: exit $rc in $(( SECONDS - s )) s"
    grep -v '^\s*at ' "$W/train-$name.log" | tail -8 >> "$LOG"
    return $rc
  }
  LOGLEVEL=debug train_run mlp 150 30 --example mlp --device gpu --steps 30 --out "$W/run-mlp"; rc=$?
  grep -E 'training on|Loading native|Extracting|cudart|GPU Count|undefined symbol|UnsatisfiedLink|EngineException|NullPointer|symbol lookup|sees no CUDA' \
    "$W/train-mlp.log" | head -25 | tee -a "$LOG"
  if [ "$rc" = 0 ] && grep -q 'training on gpu' "$W/train-mlp.log"; then
    result djl.engine PASS "PyTorch engine loaded on CUDA with torch $TV; $(grep -o 'PyTorch .*visible' "$W/train-mlp.log" | head -1)"
    ENGINE=1
  else
    why="exit $rc"
    grep -q 'sees no CUDA GPU' "$W/train-mlp.log" && why="$why: engine saw 0 GPUs (DJL's cudart probe, or a CPU libtorch)"
    grep -qE 'undefined symbol|symbol lookup error' "$W/train-mlp.log" && why="$why: libtorch ABI mismatch (JNI for 2.7.1, machine has $TV)"
    grep -q 'jni' "$W/train-mlp.log" && grep -q 'NullPointerException' "$W/train-mlp.log" && why="$why: JNI for flavour not in pytorch-jni jar"
    grep -q 'Extracting pytorch/cpu/' "$W/train-mlp.log" && why="$why: DJL took the CPU libtorch jar, not PYTORCH_LIBRARY_PATH"
    grep -qE 'pytorch index file|Failed to download|UnknownHost' "$W/train-mlp.log" && why="$why: no usable libtorch in PYTORCH_LIBRARY_PATH, DJL tried to download one (offline)"
    ls "$W"/hs_err_*.log >/dev/null 2>&1 && why="$why: JVM crashed ($(grep -m1 -E '^# (Problematic frame|C  )' "$W"/hs_err_*.log | head -1))"
    result djl.engine FAIL "$why; last line: $(grep -v '^\s*at ' "$W/train-mlp.log" | tail -1 | cut -c1-200)"
    ENGINE=0
  fi
  LOGLEVEL=info
  # Fallback when the engine did not load: can DJL's prebuilt JNI (pytorch-jni, built for libtorch
  # 2.7.1) be loaded at all against this machine's torch libraries? Loaded as DJL loads it (torch's
  # libraries first, then the JNI), but with every symbol bound at once. Nothing is compiled here.
  if [ "$ENGINE" = 1 ]; then
    result djl.jni_vs_torch PASS "DJL's $PYTORCH_FLAVOR JNI (built for libtorch $PYTORCH_VERSION) loaded against torch $TV: the engine ran"
  else
    jni_probe
  fi
  # The mlp run above is FP32, one micro-batch, Adam: its backward pass should hand its gradients
  # straight to the fused update (torch.autograd.grad inside the step kernels, under the inference
  # mode DJL runs TorchScript methods in), which only a GPU run can show works on CUDA.
  if [ "$ENGINE" = 1 ]; then
    kernels_line=$(grep -m1 'Step kernels' "$W/train-mlp.log" | cut -c1-200)
    if grep -q 'gradients handed to the update' "$W/train-mlp.log"; then
      result train.mlp.direct_gradients PASS "the FP32 steps on CUDA handed their gradients to the fused update: $kernels_line"
    else
      result train.mlp.direct_gradients WARN "${kernels_line:-no step-kernels line in the debug log}"
    fi
  fi
  if [ "$ENGINE" = 1 ]; then
    train_run cnn 110 120 --example cnn --device gpu --steps 120 --workers 2 --accumulate 2 --clip-norm 1 --out "$W/run-cnn"
    cmp run train.cnn.fp32 "$W/run-cnn" "$W/train-cnn.log" "$W/apps-cnn.csv" 120
    train_run amp 110 200 --example cnn --device gpu --amp --clip-norm 1 --steps 200 --checkpoint-every 100 --out "$W/run-amp"
    cmp run train.cnn.amp "$W/run-amp" "$W/train-amp.log" "$W/apps-amp.csv" 200
    grep -m3 -iE 'skipped|scale' "$W/run-amp/steps.jsonl" 2>/dev/null | head -c 600 >> "$LOG"
    train_run resume 90 240 --resume "$W/run-amp" --steps 240
    if grep -q 'Resuming' "$W/train-resume.log"; then
      cmp run train.cnn.amp.resume "$W/run-amp" "$W/train-resume.log" "$W/apps-resume.csv" 240
    else
      result train.cnn.amp.resume FAIL "$(grep -v '^\s*at ' "$W/train-resume.log" | tail -1 | cut -c1-200)"
    fi
  else
    result train.cnn SKIP "engine did not load on CUDA (see djl.engine)"
  fi
  # H. the mapping under CUDA_VISIBLE_DEVICES, for the last GPU (NVML's and nvidia-smi's order)
  if [ "$HAVE_SMI" = 1 ]; then
    say "== H. CUDA_VISIBLE_DEVICES mapping"
    last=$(( $(grep -c '^GPU ' "$W/smi-L.txt") - 1 ))
    luuid=$(sed -n "s/^GPU $last: .*(UUID: \(GPU-[^)]*\)).*/\1/p" "$W/smi-L.txt")
    if [ -n "$luuid" ]; then
      tmo 90 env CUDA_VISIBLE_DEVICES="$luuid" "$JAVA" $JOPTS -cp "$CP" "$MAIN" doctor --json > "$W/doctor-uuid.json" 2>/dev/null
      cmp mapped map.by_uuid "$W/doctor-uuid.json" "$last" "$W/smi-idle.csv"
      tmo 90 env CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES="$last" "$JAVA" $JOPTS -cp "$CP" "$MAIN" doctor --json > "$W/doctor-index.json" 2>/dev/null
      cmp mapped map.by_index "$W/doctor-index.json" "$last" "$W/smi-idle.csv"
    else
      result map SKIP "no UUID for GPU $last in nvidia-smi -L"
    fi
  fi
fi
say "== done"
