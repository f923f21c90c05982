#!/usr/bin/env bash
# One node call for the GPU job (docs/gpu-job.md) after the bundle is built here (scripts/bundle):
# node-job.sh (C tests on CUDA, gpujob-bench, round trip and ResNet-50 through the interposer), then JCuda's
# launchSync plain and through the interposer, the jobs family, and the bundle's GPU tests. Results under $OUT.
#   [STEPS="job margins jcuda jobs tests"] [JOBS_FORKS=3] [BENCH_PROCS=2] [RESNET_RUNS=1] bash reference-runs/gpu-job/node-final.sh
# Steps, so that a 10-minute call can run a part: job (node-job.sh: C tests, gpujob-bench, round trip, ResNet),
# margins (gpujob-bench, PREDICT and FD at 100 us and 1 ms with margins 1, 2, 3 us), jcuda (launchSync plain and
# through the interposer), jobs (the JMH jobs family, JOBS_FORKS forks), tests (the bundle's GPU tests).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/node-final}; mkdir -p "$out"
steps=" ${STEPS:-job margins jcuda jobs tests} "
want() { [[ $steps == *" $1 "* ]]; }
if want job; then
  BENCH_PROCS=${BENCH_PROCS:-2} timeout 320 bash reference-runs/gpu-job/node-job.sh "${RESNET_RUNS:-1}" > "$out/node-job.log" 2>&1
  echo "node-job: rc=$?"; grep -E 'passed, |rc=' "$out/node-job.log"
fi
if want margins; then
  [[ -x /tmp/gpujob-bin/gpujob-bench ]] || make -s -C natives/src/main/c OUT=/tmp/gpujob-bin gpujob-gpu > "$out/make-margins.txt" 2>&1
  mkdir -p "$out/margins"
  for m in 1 2 3 5; do
    timeout 60 /tmp/gpujob-bin/gpujob-bench natives/src/main/resources/gpuos/natives/ptx --us 100,1000 --modes job-predict,job-fd \
      --seconds 1 --margin-us $m --json "$out/margins/margin-$m.json" > "$out/margins/margin-$m.txt" 2>&1
    echo "margins $m us: rc=$?"; grep -E '^T=' "$out/margins/margin-$m.txt"
  done
fi
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
B=/tmp/b/gpuos-bundle
jmh=("$B/jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$B/gpuos.jar" -f 1 -wi 1 -w 1s -i 4 -r 1s
     -jvmArgsAppend --enable-native-access=ALL-UNNAMED -prof gpuos.profiler.LinuxSyscallProfiler)
if want jcuda; then
timeout 60 "${jmh[@]}" 'gpuos.benchmarks.cuda.CudaExecution.launchSync$' -p waitPolicy=auto,blocking -rf json -rff "$out/jcuda-plain.json" > "$out/jcuda-plain.log" 2>&1
echo "jcuda plain: rc=$?"
LD_PRELOAD=/tmp/gpujob-bin/libgpujob-preload.so GPUJOB_WAIT=predict GPUJOB_REPORT=1 timeout 60 "${jmh[@]}" 'gpuos.benchmarks.cuda.CudaExecution.launchSync$' \
  -p waitPolicy=auto,blocking -rf json -rff "$out/jcuda-preload-predict.json" > "$out/jcuda-preload-predict.log" 2>&1
echo "jcuda preload: rc=$?"; grep -h 'gpujob-preload:' "$out/jcuda-preload-predict.log" | sort | uniq -c | head -4
fi
if want jobs; then
  # One JVM fork per row and fork: the fork is the unit of replication (JOBS_FORKS of them).
  jobs=("${jmh[@]}"); jobs[5]=${JOBS_FORKS:-3}
  timeout 250 "${jobs[@]}" 'gpuos.benchmarks.jobs.CudaJobs.(launchSync|spin)$' -p waitMode=spin,blocking,fd,predict -p gpuNanos=100000 \
    -rf json -rff "$out/jobs-cuda.json" > "$out/jobs-cuda.log" 2>&1
  echo "jobs: rc=$?"
fi
for f in jcuda-plain jcuda-preload-predict jobs-cuda; do [[ -f $out/$f.log ]] || continue; grep -E '^(Cuda|gpuos)\S+ +' "$out/$f.log" | grep -v ':' | head -12; grep -E '^\S+:syscalls.total.norm' "$out/$f.log" | head -12; done
if want tests; then
  OUT=$out timeout 170 "$B/run" tests > "$out/tests.log" 2>&1; echo "tests: rc=$?"
  grep -E 'tests (successful|failed|aborted|skipped|found)' "$out/tests.log"; grep -E '✘|FAILED' "$out/tests.log" | head -10
fi
