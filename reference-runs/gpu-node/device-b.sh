#!/usr/bin/env bash
# Device call B (run from the repo root on the GPU node, with .bundle carried):
#   1. the bundle's `run tests roundtrip` (GPU tests, C launch+synchronize round trip per wait policy);
#   2. a short diagnosis of NVIDIA OpenCL inside JMH forks (the quick sweep's four nvidia parts failed there with
#      "platform 'nvidia' not found" although the sweep's own JVM found it);
#   3. the Java launch+synchronize round trip with JMH, time only (no -prof): CudaExecution.launchSync per wait
#      policy and OpenClExecution.emptyKernel on NVIDIA OpenCL (reps=1: one enqueue + clFinish per op);
#   4. if time is left and step 2 showed the forks can see NVIDIA OpenCL: the quick sweep's four nvidia parts, with
#      the same JMH arguments the sweep used (into opencl-nvidia-parts.tar.gz).
# Everything lands in $OUT (at most 8 files come back).
set -uo pipefail
t0=$(date +%s)
el() { echo $(( $(date +%s) - t0 )); }
B=/tmp/gpuos-bundle
[[ -x $B/run ]] || tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp || exit 1
J=$B/jdk/bin/java
JAR=$B/gpuos.jar   # benchmarks.jar in the bundle this ran from; gpuos.jar (a superset) since Phase 2
JMH=("$J" --enable-native-access=ALL-UNNAMED -jar "$JAR")
log=$OUT/device-b.log
say() { echo "device-b [$(el) s]: $*" | tee -a "$log"; }

say "start $(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$B/run" tests roundtrip
say "run tests roundtrip: exit $?"

# NVIDIA OpenCL registered the way the bundle's run does it (a private vendors folder through OCL_ICD_VENDORS).
V=/tmp/ocl-vendors
mkdir -p $V
echo /usr/local/nvidia/lib64/libnvidia-opencl.so.1 > $V/nvidia.icd
cp /etc/OpenCL/vendors/*.icd $V/ 2>/dev/null
export OCL_ICD_VENDORS=$V
say "OCL_ICD_VENDORS=$V ($(ls $V | tr '\n' ' ')); LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"

ok='OpenClExecution.emptyKernel$'
short=(-p platform=nvidia -p reps=1 -wi 0 -i 1 -r 100ms -jvmArgsAppend --enable-native-access=ALL-UNNAMED)
{
  echo "== NodeCheck (plain JVM)"
  "$J" --enable-native-access=ALL-UNNAMED -cp "$JAR" gpuos.suite.node.NodeCheck 2>&1 | grep -v '^WARNING'
  echo "== -f 0 (in the JMH JVM), no profiler"
  timeout 90 "${JMH[@]}" "$ok" "${short[@]}" -f 0 2>&1 | grep -E 'Exception|ERROR|rror|not found|emptyKernel|Result'
  echo "== -f 1, no profiler; environment of the fork:"
  ( sleep 3; for p in $(pgrep -f ForkedMain); do echo "fork $p:"; tr '\0' '\n' < /proc/$p/environ | grep -E '^(OCL_|LD_LIBRARY|PATH=)'; done ) &
  timeout 90 "${JMH[@]}" "$ok" "${short[@]}" -f 1 2>&1 | grep -E 'Exception|ERROR|rror|not found|emptyKernel|Result'
  wait
  echo "== -f 1 with -prof gpuos.profiler.LinuxSyscallProfiler"
  timeout 90 "${JMH[@]}" "$ok" "${short[@]}" -f 1 -prof gpuos.profiler.LinuxSyscallProfiler 2>&1 | grep -E 'Exception|ERROR|rror|not found|emptyKernel|Result'
} > "$OUT/diag.log" 2>&1
say "diag done"
fork_ok=0
[[ $(sed -n '/^== -f 1 with/,$p' "$OUT/diag.log" | grep -c 'emptyKernel.*avgt') -ge 1 ]] && fork_ok=1

say "JMH CudaExecution.launchSync"
"${JMH[@]}" 'CudaExecution.launchSync$' -p waitPolicy=auto,spin,yield,blocking -p reps=1 -f 5 -wi 3 -w 1 -i 5 -r 1 \
  -rf json -rff "$OUT/launchsync.json" > "$OUT/jmh.log" 2>&1
say "launchSync exit $?"
say "JMH OpenClExecution.emptyKernel on nvidia"
"${JMH[@]}" "$ok" -p platform=nvidia -p reps=1 -f 5 -wi 3 -w 1 -i 5 -r 1 \
  -rf json -rff "$OUT/launchsync-opencl.json" >> "$OUT/jmh.log" 2>&1
say "OpenCL emptyKernel exit $?"

left=$(( 560 - $(el) ))
if [[ $fork_ok -eq 1 && $left -gt 150 ]]; then
  P=/tmp/oclparts
  mkdir -p $P/jmh $P/logs
  common=(-f 3 -wi 2 -w 200ms -i 4 -r 200ms -p platform=nvidia -jvmArgsAppend --enable-native-access=ALL-UNNAMED -foe true -prof gpuos.profiler.LinuxSyscallProfiler -rf json)
  for spec in "runtime-bytes OpenClRuntime bytes=4096,1048576,268435456 reps=1" "runtime-reps OpenClRuntime bytes=4096 reps=100,10000" \
              "execution-bytes OpenClExecution bytes=4096,1048576,268435456 reps=1" "execution-reps OpenClExecution bytes=4096 reps=100,10000"; do
    read -r part cls b r <<<"$spec"
    name=opencl-$part-nvidia
    rem=$(( 575 - $(el) ))
    if [[ $rem -lt 45 ]]; then say "part $name skipped (${rem} s left)"; continue; fi
    say "part $name (timeout ${rem} s)"
    timeout $rem "${JMH[@]}" "^gpuos\\.benchmarks\\.opencl\\.$cls\\." "${common[@]}" -p $b -p $r -rff $P/jmh/$name.json > $P/logs/$name.log 2>&1
    say "part $name exit $?"
  done
  tar czf "$OUT/opencl-nvidia-parts.tar.gz" -C $P jmh logs
else
  say "nvidia OpenCL parts not re-run (fork_ok=$fork_ok, ${left} s left)"
fi
say "done"
