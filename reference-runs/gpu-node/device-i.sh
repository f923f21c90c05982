#!/usr/bin/env bash
# Node call for issue 9's interposer target (2026-12-03): the interposer now times 1 span in 16 (no start/end events
# on the others). Does the unmodified C round trip through it cost what the library called directly costs?
# Needs .bundle/ carried (scripts/bundle here first). Results under $OUT, packed into $OUT/device-i.tar.gz.
#   bash reference-runs/gpu-node/device-i.sh
# 1. make; gpujob-test-cuda (the CUDA backend on the GPU);
# 2. the C round trip (empty kernel, auto context, 20000 round trips) plain, through the interposer in PREDICT and
#    SPIN, 3 processes each, interleaved;
# 3. the library called directly on (nearly) the same work: gpujob-bench with a 10 ns spin kernel, 2 processes;
# 4. JCuda's CudaExecution.launchSync (auto) plain and through the interposer (JMH, 1 fork, 3 x 1 s).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/device-i}; mkdir -p "$out"
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
B=/tmp/b/gpuos-bundle bin=/tmp/gjbin ptx=/tmp/b/gpuos-bundle/natives/ptx
cp "$B/BUILD-INFO" "$out/"; nvidia-smi -L > "$out/gpu.txt" 2>&1
make -s -C "$B/natives/c" OUT=$bin gpujob-gpu gpujob-test-bins > "$out/make.txt" 2>&1 || { tail -20 "$out/make.txt"; exit 1; }
timeout 90 "$bin/gpujob-test-cuda" "$ptx" > "$out/test-cuda.txt" 2>&1; echo "gpujob-test-cuda: rc=$?"; grep -E 'FAIL|passed' "$out/test-cuda.txt"
rt=("$bin/cuda-roundtrip" "$ptx/empty_kernel.ptx" 20000 2000 4096 auto)
for k in 1 2 3; do
  timeout 20 "${rt[@]}" > "$out/roundtrip-plain-$k.txt" 2>&1
  for w in predict spin; do
    LD_PRELOAD=$bin/libgpujob-preload.so GPUJOB_WAIT=$w GPUJOB_REPORT=1 timeout 20 "${rt[@]}" > "$out/roundtrip-preload-$w-$k.txt" 2>&1
  done
done
grep -hE 'policy=|gpujob-preload:' "$out"/roundtrip-*.txt
for p in 1 2; do
  timeout 40 "$bin/gpujob-bench" "$ptx" --us 0.01 --modes driver-spin,job-spin,job-predict --seconds 0.5 \
    --json "$out/bench-$p.json" > "$out/bench-$p.txt" 2>&1; echo "gpujob-bench $p: rc=$?"; grep -E '^T=|gj_submit:' "$out/bench-$p.txt"
done
jmh=("$B/jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$B/gpuos.jar" 'gpuos.benchmarks.cuda.CudaExecution.launchSync$'
     -p waitPolicy=auto -f 1 -wi 1 -w 1s -i 3 -r 1s -jvmArgsAppend --enable-native-access=ALL-UNNAMED -prof gpuos.profiler.LinuxSyscallProfiler)
timeout 60 "${jmh[@]}" -rf json -rff "$out/jcuda-plain.json" > "$out/jcuda-plain.log" 2>&1; echo "jcuda plain: rc=$?"
LD_PRELOAD=$bin/libgpujob-preload.so GPUJOB_WAIT=predict GPUJOB_REPORT=1 timeout 60 "${jmh[@]}" -rf json -rff "$out/jcuda-preload-predict.json" \
  > "$out/jcuda-preload-predict.log" 2>&1; echo "jcuda preload: rc=$?"
grep -hE '^CudaExecution.launchSync +|gpujob-preload:' "$out"/jcuda-*.log | sort | uniq -c | head -8
cd "$out" && tar czf "$out/device-i.tar.gz" --exclude=device-i.tar.gz . 2>/dev/null; true
