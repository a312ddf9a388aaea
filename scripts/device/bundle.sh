#!/usr/bin/env bash
# Builds .device/ in the project root, to be carried to the GPU machine (carry: [".device"]):
#   .device/jre/          a jlink'd Java runtime (the GPU machine has no Java)
#   .device/lib/*.jar     trainsight.jar and the jars of its manifest Class-Path, minus the two
#                         below; the JNA, DJL-JNI and jline-native jars keep only their x86-64
#                         Linux native libraries
#   .device/main-class    the CLI's main class, read from examples/target/trainsight.jar
#   .device/bundle.txt    commit, modules, jars and sizes of this bundle
#   .device/gpu-check.sh  the check to run there: bash .device/gpu-check.sh (this folder's copy)
# Left out: pytorch-native-cpu (111 MB CPU libtorch; the GPU run uses the machine's torch through
# PYTORCH_LIBRARY_PATH) and prometheus-metrics-exposition-formats (the optional protobuf writer of
# the Prometheus endpoint, loaded by reflection; the text format is in the textformats jar).
# Then a CPU smoke test of the bundle (--version, gpus --json, train --example io-bound); skip it
# with --no-smoke. Usage, from anywhere in the checkout: bash scripts/device/bundle.sh [--no-smoke]
# (the project's copy of shared/device/bundle.sh: it bundles scripts/device/gpu-check.sh)
set -euo pipefail
LIMIT_MIB=58   # what is copied to the GPU machine stays under 64 MiB with the working tree (about 1.5 MiB)
smoke=1; [ "${1:-}" = "--no-smoke" ] && smoke=0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(git rev-parse --show-toplevel)"
cd "$root"
exclude="$(git rev-parse --git-path info/exclude)"   # a worktree's .git is a file
mkdir -p "$(dirname "$exclude")"
grep -qx '/.device/' "$exclude" 2>/dev/null || echo '/.device/' >> "$exclude"

jbin() { if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$1" ]; then echo "$JAVA_HOME/bin/$1"; else command -v "$1"; fi; }
JAVA=$(jbin java); JLINK=$(jbin jlink); JDEPS=$(jbin jdeps); JAR=$(jbin jar)
work=$(mktemp -d /tmp/bundle.XXXXXX); trap 'rm -rf "$work"' EXIT

# A small zip tool on the JDK alone: "manifest JAR" prints Main-Class and the Class-Path entries;
# "filter IN OUT REGEX" copies IN to OUT without the entries whose whole name matches REGEX.
cat > "$work/Zt.java" <<'EOF'
import java.io.*; import java.util.*; import java.util.jar.*; import java.util.zip.*;
public class Zt { public static void main(String[] a) throws Exception {
  if (a[0].equals("manifest")) { try (JarFile j = new JarFile(a[1])) { Attributes m = j.getManifest().getMainAttributes();
      System.out.println("Main-Class " + m.getValue("Main-Class"));
      for (String p : m.getValue("Class-Path").trim().split("\\s+")) System.out.println("Class-Path " + p); } return; }
  java.util.regex.Pattern drop = java.util.regex.Pattern.compile(a[3]);
  try (ZipFile in = new ZipFile(a[1]); ZipOutputStream out = new ZipOutputStream(new FileOutputStream(a[2]))) {
    out.setLevel(9);
    for (ZipEntry e : Collections.list(in.entries())) { if (drop.matcher(e.getName()).matches()) continue;
      ZipEntry n = new ZipEntry(e.getName()); n.setTime(e.getTime()); out.putNextEntry(n);
      try (InputStream s = in.getInputStream(e)) { s.transferTo(out); } out.closeEntry(); } } } }
EOF
zt() { "$JAVA" "$work/Zt.java" "$@"; }

echo "building examples and what it needs (mvnw package -pl examples -am, tests skipped)..."
mvn_cmd=mvn; [ -x ./mvnw ] && mvn_cmd="$root/mvnw"
"$mvn_cmd" -B -q -DskipTests -Dspotless.check.skip=true package -pl examples -am > "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log"; echo "build failed"; exit 1; }
app=examples/target/trainsight.jar

rm -rf .device && mkdir -p .device/lib
zt manifest "$app" > "$work/manifest"
main=$(sed -n 's/^Main-Class //p' "$work/manifest")
[ -n "$main" ] && [ "$main" != null ] || { echo "no Main-Class in $app"; exit 1; }
echo "$main" > .device/main-class
cp "$app" .device/lib/
dropped=""
for p in $(sed -n 's/^Class-Path //p' "$work/manifest"); do
  f="examples/target/$p"; b=$(basename "$p")
  case "$b" in
    pytorch-native-cpu-*|prometheus-metrics-exposition-formats-*) dropped="$dropped $b"; continue;;
  esac
  [ -f "$f" ] || { echo "missing $f (named in the manifest of $app)"; exit 1; }
  case "$b" in   # natives for other platforms out; x86-64 Linux ones (DJL: cpu and cu128) stay
    jna-*|pytorch-jni-*|jline-native-*)
      zt filter "$f" ".device/lib/$b" '(?!.*(linux-x86-64|linux-x86_64|Linux/x86_64)/).*\.(so|dll|dylib|jnilib|a)';;
    *) cp "$f" .device/lib/;;
  esac
done

# The Java modules: jdeps over every runtime jar. Modular jars are analysed without their
# module-info (as they run: on the class path), else jdeps stops at their missing requires.
mkdir -p "$work/jd"
for j in .device/lib/*.jar; do zt filter "$j" "$work/jd/$(basename "$j")" '(META-INF/versions/\d+/)?module-info\.class'; done
mods=$("$JDEPS" --print-module-deps --ignore-missing-deps --multi-release 17 --class-path "$work/jd/*" \
  "$work"/jd/*.jar 2>"$work/jdeps.err" | tail -1) || true
case "$mods" in java.base*) ;; *) cat "$work/jdeps.err"; echo "jdeps failed: $mods"; exit 1;; esac
# + jdk.unsupported: sun.misc.Unsafe, which gson, JNA and others reach by reflection (jdeps can't see)
mods="$mods,jdk.unsupported"; mods=$(echo "$mods" | tr ',' '\n' | sort -u | paste -sd, -)
# --compress=zip-9 where jlink has it (JDK 21+), else --compress=2 (zip, JDK 17)
compress=--compress=2; case "$("$JLINK" --help 2>&1 || true)" in *zip-*) compress=--compress=zip-9;; esac
"$JLINK" --add-modules "$mods" $compress --strip-debug --no-header-files --no-man-pages --output .device/jre
# the JDK's native libraries carry symbol tables (Debian's libjvm.so: 24 MB, 20 MB stripped)
if command -v strip >/dev/null; then find .device/jre -name '*.so' -exec strip --strip-unneeded {} + || echo "warning: strip failed"
else echo "warning: no 'strip' (binutils): the runtime stays ~4 MiB larger"; fi
cp "$here/gpu-check.sh" .device/gpu-check.sh

{ echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!.device' 2>/dev/null || echo ' (with local changes)')"
  echo "built $(date -u +%FT%TZ) with $("$JAVA" -version 2>&1 | head -1)"
  echo "main-class $main"
  echo "modules asked: $mods"
  echo "modules in jre: $(.device/jre/bin/java --list-modules | sed 's/@.*//' | paste -sd, -)"
  echo "left out:$dropped"
  echo "jars:"; (cd .device/lib && ls -l *.jar | awk '{printf "  %9d %s\n", $5, $9}')
} > .device/bundle.txt
size=$(du -sm .device | cut -f1)
tree=$(git ls-files -co --exclude-standard -z | du --files0-from=- -cb 2>/dev/null | tail -1 | cut -f1) || true
du -sh .device/jre .device/lib; du -sh .device   # (one du each: du counts a folder once)
echo "modules: $mods"; echo "main class: $main"; echo "left out:$dropped"
echo "working tree that travels besides .device: $(( ${tree:-0} / 1048576 )) MiB"
if [ "$size" -gt "$LIMIT_MIB" ]; then echo "too large to carry: ${size} MiB > ${LIMIT_MIB} MiB"; exit 1; fi

[ "$smoke" = 1 ] || exit 0
# CPU smoke test of the bundle itself: its runtime, its jars, the CPU libtorch from the build
echo "== smoke test on CPU (bundle.sh --no-smoke skips it)"
cpu=$(ls examples/target/lib/pytorch-native-cpu-*.jar 2>/dev/null | head -1) || true
[ -n "$cpu" ] || { echo "no CPU libtorch jar in examples/target/lib: cannot smoke-test"; exit 1; }
ver=$(basename "$cpu" | sed -n 's/^pytorch-native-cpu-\([0-9.]*\)-.*/\1/p')
# the CPU libtorch, as PYTORCH_LIBRARY_PATH wants it: the jar's pytorch/cpu/linux-x86_64/*.so
mkdir -p "$work/torch" && (cd "$work/torch" && "$JAR" xf "$root/$cpu" pytorch native/lib)
lt=$(dirname "$(find "$work/torch" -name 'libtorch_cpu.so' | head -1)")
cp "$work"/torch/native/lib/* "$lt"/ 2>/dev/null || true
J=(.device/jre/bin/java -cp '.device/lib/*' "$main"); fail=0
step() { local name=$1; shift; local rc=0; "$@" > "$work/$name.log" 2>&1 || rc=$?
  echo "$name: exit $rc"; tail -3 "$work/$name.log" | sed 's/^/  | /'; [ "$rc" = 0 ] || fail=1; }
step version "${J[@]}" --version
step gpus env -u PYTORCH_LIBRARY_PATH "${J[@]}" gpus --json
step train-io-bound env PYTORCH_LIBRARY_PATH="$lt" PYTORCH_FLAVOR=cpu PYTORCH_VERSION="$ver" \
  DJL_CACHE_DIR="$work/djl" "${J[@]}" train --example io-bound --steps 20 --out "$work/run"
[ -f "$work/run/summary.json" ] && echo "  summary.json written" || { echo "  no summary.json"; fail=1; }
[ "$fail" = 0 ] && echo "smoke test passed" || { echo "smoke test FAILED: the bundle is not ready to carry"; exit 1; }
