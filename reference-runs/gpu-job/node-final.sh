#!/usr/bin/env bash
# One node call for the GPU job (docs/gpu-job.md) after the bundle is built here (scripts/bundle):
# node-job.sh (C tests on CUDA, gpujob-bench, round trip and ResNet-50 through the interposer), then JCuda's
# launchSync plain and through the interposer, the jobs family, and the bundle's GPU tests. Results under $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/node-final}; mkdir -p "$out"
BENCH_PROCS=${BENCH_PROCS:-2} timeout 320 bash reference-runs/gpu-job/node-job.sh "${RESNET_RUNS:-1}" > "$out/node-job.log" 2>&1
echo "node-job: rc=$?"; grep -E 'passed, |rc=' "$out/node-job.log"
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
B=/tmp/b/gpuos-bundle
jmh=("$B/jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$B/gpuos.jar" -f 1 -wi 1 -w 1s -i 4 -r 1s
     -jvmArgsAppend --enable-native-access=ALL-UNNAMED -prof gpuos.profiler.LinuxSyscallProfiler)
timeout 60 "${jmh[@]}" 'gpuos.benchmarks.cuda.CudaExecution.launchSync$' -p waitPolicy=auto,blocking -rf json -rff "$out/jcuda-plain.json" > "$out/jcuda-plain.log" 2>&1
echo "jcuda plain: rc=$?"
LD_PRELOAD=/tmp/gpujob-bin/libgpujob-preload.so GPUJOB_WAIT=predict GPUJOB_REPORT=1 timeout 60 "${jmh[@]}" 'gpuos.benchmarks.cuda.CudaExecution.launchSync$' \
  -p waitPolicy=auto,blocking -rf json -rff "$out/jcuda-preload-predict.json" > "$out/jcuda-preload-predict.log" 2>&1
echo "jcuda preload: rc=$?"; grep -h 'gpujob-preload:' "$out/jcuda-preload-predict.log" | sort | uniq -c | head -4
timeout 100 "${jmh[@]}" 'gpuos.benchmarks.jobs.CudaJobs' -p waitMode=spin,blocking,fd,predict -p gpuNanos=100000 -rf json -rff "$out/jobs-cuda.json" > "$out/jobs-cuda.log" 2>&1
echo "jobs: rc=$?"
for f in jcuda-plain jcuda-preload-predict jobs-cuda; do grep -E '^(Cuda|gpuos)\S+ +' "$out/$f.log" | grep -v ':' | head -12; grep -E '^\S+:syscalls.total.norm' "$out/$f.log" | head -12; done
OUT=$out timeout 170 "$B/run" tests > "$out/tests.log" 2>&1; echo "tests: rc=$?"
grep -E 'tests (successful|failed|aborted|skipped|found)' "$out/tests.log"; grep -E '✘|FAILED' "$out/tests.log" | head -10
