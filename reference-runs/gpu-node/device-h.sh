#!/usr/bin/env bash
# The last node call of 2026-12-03: gpujob's untimed/timed folded submission (issue 9) on CUDA, and the ResNet sweep
# runs the earlier calls left (issue 10). Needs .bundle/ carried (scripts/bundle here first). Results under $OUT.
#   bash reference-runs/gpu-node/device-h.sh
# 1. gpujob's C tests on CUDA (gpujob-test-cuda: one driver call per submission, timing 1 in 16, a fault in an untimed
#    submission in every wait mode) and on the CPU (gpujob-test);
# 2. gpujob-bench: gj_submit folded/unfolded against cuGraphLaunch of the captured launch, then spin/predict/blocking
#    jobs of 100 us and 1 ms (did timing 1 in 16 change the waits?), 2 processes;
# 3. the Java face on CUDA (CudaJobTest through JUnit's console launcher);
# 4. the ResNet sweep points still short of 5 runs (resumed into the committed sweep/).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/device-h}; mkdir -p "$out"
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
B=/tmp/b/gpuos-bundle bin=/tmp/gjbin ptx=/tmp/b/gpuos-bundle/natives/ptx
git rev-parse HEAD > "$out/commit.txt" 2>/dev/null; cp "$B/BUILD-INFO" "$out/"; nvidia-smi -L > "$out/gpu.txt" 2>&1
make -s -C "$B/natives/c" OUT=$bin gpujob-gpu gpujob-test-bins > "$out/make.txt" 2>&1 || { tail -20 "$out/make.txt"; exit 1; }
timeout 120 "$bin/gpujob-test-cuda" "$ptx" > "$out/test-cuda.txt" 2>&1; echo "gpujob-test-cuda: rc=$?"
grep -E 'FAIL|passed|gj_submit|fault in|predict, 1 ms|FD mode' "$out/test-cuda.txt"
timeout 120 "$bin/gpujob-test" "$bin" "$ptx" > "$out/test.txt" 2>&1; echo "gpujob-test: rc=$?"; grep -E 'FAIL|passed' "$out/test.txt"
for p in 1 2; do
  timeout 60 "$bin/gpujob-bench" "$ptx" --us 100,1000 --modes driver-spin,job-spin,job-blocking,job-predict --seconds 1 \
    --json "$out/bench-$p.json" > "$out/bench-$p.txt" 2>&1; echo "gpujob-bench $p: rc=$?"; grep -E '^T=|gj_submit' "$out/bench-$p.txt"
done
timeout 90 "$B/jdk/bin/java" --enable-native-access=ALL-UNNAMED -Dgpuos.requireGpu=true \
  -cp "$B/junit-platform-console-standalone.jar:$B/gpuos.jar:$B/test-classes" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree --select-class gpuos.benchmarks.jobs.CudaJobTest > "$out/junit-cudajob.txt" 2>&1
echo "CudaJobTest: rc=$?"; grep -E 'tests (successful|failed|aborted)|✘' "$out/junit-cudajob.txt"
rm -rf /tmp/rs; mkdir -p /tmp/rs && cp -r reference-runs/resnet/20261202-h200/sweep /tmp/rs/
POINTS='waits-bs1-fp16-.*|batch-.*|iters-.*' RUNS=5 BUDGET_S=${BUDGET_S:-150} OUT=$out/resnet timeout 240 bash "$B/run" resnet all --resume /tmp/rs > "$out/resnet.log" 2>&1
echo "resnet sweep: rc=$?"; grep -E 'node-resnet:' "$out/resnet.log" | tail -2
cd "$out" && tar czf "$out/device-h.tar.gz" --exclude=device-h.tar.gz . 2>/dev/null; true
