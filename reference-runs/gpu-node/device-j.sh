#!/usr/bin/env bash
# The node call that closes issue 9 (written 2026-12-03, not run yet: no node time was left). Everything the last
# changes touched, on the GPU, in one call of ~7 min. Needs .bundle/ carried (scripts/bundle here first).
#   bash reference-runs/gpu-node/device-j.sh
# 1. device-i.sh: gpujob-test-cuda, the C round trip and JCuda's launchSync plain and through the interposer;
# 2. PyTorch through the interposer after its 1-in-16 span timing: ResNet-50 job-predict and job-fd, 2 fresh runs each
#    (a folder of their own, not resumed: the committed points already have 5 runs of the earlier interposer);
# 3. the JMH jobs family (CudaJobs launchSync and spin, 4 wait modes, 3 forks) after the one-call submission.
# Results: $OUT/device-j.tar.gz (and the bundle's own tars under $OUT/resnet).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/device-j}; mkdir -p "$out"
OUT=$out/interposer timeout 200 bash reference-runs/gpu-node/device-i.sh > "$out/device-i.log" 2>&1; echo "device-i: rc=$?"
grep -E 'passed|policy=|gpujob-preload:|launchSync +' "$out/device-i.log" | head -20
B=/tmp/b/gpuos-bundle # unpacked by device-i.sh
POINTS='waits-bs1-fp16-job-(predict|fd)' RUNS=2 BUDGET_S=100 OUT=$out/resnet timeout 150 bash "$B/run" resnet all > "$out/resnet.log" 2>&1
echo "resnet through the interposer: rc=$?"; grep -E 'resnet_infer: .* graph |node-resnet:' "$out/resnet.log" | tail -6
jmh=("$B/jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$B/gpuos.jar" 'gpuos.benchmarks.jobs.CudaJobs.(launchSync|spin)$'
     -p waitMode=spin,blocking,fd,predict -p gpuNanos=100000 -f 3 -wi 1 -w 1s -i 4 -r 1s
     -jvmArgsAppend --enable-native-access=ALL-UNNAMED -prof gpuos.profiler.LinuxSyscallProfiler)
mkdir -p "$out/jobs/jmh"
timeout 250 "${jmh[@]}" -rf json -rff "$out/jobs/jmh/jobs-cuda.json" > "$out/jobs/jobs-cuda.log" 2>&1; echo "jobs family: rc=$?"
grep -E '^CudaJobs\.\S+ +|gpujob .* job:' "$out/jobs/jobs-cuda.log" | sort | uniq -c | head -12
cd "$out" && tar czf "$out/device-j.tar.gz" --exclude=device-j.tar.gz . 2>/dev/null; true
