#!/usr/bin/env bash
# Device call C (run from the repo root on the GPU node, with .bundle carried); everything lands in $OUT:
#   1. the bundle's GPU tests (`run tests`);
#   2. blocking wait, Java against C with more samples than device-b.sh had: the C round-trip loop as 10 separate
#      processes, and JMH CudaExecution.launchSync at auto and blocking with 10 forks (time only, no profiler);
#   3. the distribution of syscalls per synchronize (sync.* labels) per wait policy, with the profiler;
#   4. the intervention runner after its refactor: four CUDA interventions, one fork each.
set -uo pipefail
t0=$(date +%s)
el() { echo $(( $(date +%s) - t0 )); }
B=/tmp/gpuos-bundle
[[ -x $B/run ]] || tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp || exit 1
J=$B/jdk/bin/java
JMH=("$J" --enable-native-access=ALL-UNNAMED -jar "$B/gpuos.jar")
log=$OUT/device-c.log
say() { echo "device-c [$(el) s]: $*" | tee -a "$log"; }

say "start $(date -u +%Y-%m-%dT%H:%M:%SZ)"
OUT=$OUT/tests "$B/run" tests > /dev/null 2>&1
say "run tests: exit $? (results in tests/gpuos-results.tar.gz)"

gcc -O2 -g0 -Wall -Wextra -std=gnu11 -o /tmp/cuda-roundtrip "$B/natives/c/tools/cuda_roundtrip.c" -ldl
for i in $(seq 1 10); do
  /tmp/cuda-roundtrip "$B/natives/ptx/empty_kernel.ptx" 10000 1000 4096 >> "$OUT/cuda-roundtrip-x10.txt" 2>&1
done
say "C round trip x10: $(grep -c 'policy=blocking' "$OUT/cuda-roundtrip-x10.txt") blocking runs"

"${JMH[@]}" 'CudaExecution.launchSync$' -p waitPolicy=auto,blocking -p reps=1 -f 10 -wi 2 -w 1 -i 3 -r 1 \
  -rf json -rff "$OUT/launchsync-f10.json" > "$OUT/launchsync-f10.log" 2>&1
say "JMH launchSync auto,blocking x 10 forks: exit $?"

"${JMH[@]}" 'CudaExecution.launchSync$' -p waitPolicy=auto,spin,yield,blocking -p reps=100 -f 3 -wi 1 -i 4 \
  -prof gpuos.profiler.LinuxSyscallProfiler -rf json -rff "$OUT/launchsync-distribution.json" > "$OUT/launchsync-distribution.log" 2>&1
say "JMH launchSync distribution: exit $?"

"${JMH[@]}" CudaRunner -p intervention=baseline,cuda-graph,async-alloc-keep,blocking-wait -p reps=16 -f 1 -wi 1 -i 3 \
  -prof gpuos.profiler.LinuxSyscallProfiler -rf json -rff "$OUT/cudarunner.json" > "$OUT/cudarunner.log" 2>&1
say "JMH CudaRunner after the refactor: exit $?"
say "done"
