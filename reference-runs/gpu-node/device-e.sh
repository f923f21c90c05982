#!/usr/bin/env bash
# One node call (2026-12-02, third session): the bundle's GPU tests and gpujob's C tests on CUDA (issue 14's touched
# GPU paths), the two GPU samples (issue 8), and the jobs family on NVIDIA OpenCL (issue 10's generality row).
# Needs .bundle/ carried (scripts/bundle here first). Results under $OUT.
#   [STEPS="tests samples ocl"] [FORKS=3] bash reference-runs/gpu-node/device-e.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/device-e}; mkdir -p "$out"
steps=" ${STEPS:-tests samples ocl} "
want() { [[ $steps == *" $1 "* ]]; }
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
B=/tmp/b/gpuos-bundle
git rev-parse HEAD > "$out/commit.txt" 2>/dev/null; cp "$B/BUILD-INFO" "$out/"
J=("$B/jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$B/gpuos.jar" -jvmArgsAppend --enable-native-access=ALL-UNNAMED
   -prof gpuos.profiler.LinuxSyscallProfiler)
if want tests; then
  OUT=$out/t timeout 330 bash "$B/run" tests job > "$out/tests-job.log" 2>&1; echo "tests job: rc=$?"
  grep -E 'tests (successful|failed|aborted|skipped|found)|passed, |FAILED' "$out/tests-job.log" | head -20
fi
if want samples; then
  timeout 60 "${J[@]}" Sample02 -p reps=1,16 -f 1 -wi 1 -i 3 -r 200ms -w 200ms > "$out/sample02.txt" 2>&1; echo "sample02: rc=$?"
  timeout 60 "${J[@]}" Sample03 -p waitPolicy=spin,blocking -f 1 -wi 1 -i 3 -r 200ms -w 200ms > "$out/sample03.txt" 2>&1; echo "sample03: rc=$?"
fi
if want ocl; then
  V=$(mktemp -d); echo /usr/local/nvidia/lib64/libnvidia-opencl.so.1 > "$V/nvidia.icd"; cp /etc/OpenCL/vendors/*.icd "$V/" 2>/dev/null
  OCL_ICD_VENDORS=$V timeout 200 "${J[@]}" 'gpuos.benchmarks.jobs.OpenClJobs.(launchSync|spin)$' -p platform=nvidia \
    -p waitMode=spin,blocking,fd,predict -f "${FORKS:-3}" -wi 1 -w 500ms -i 4 -r 500ms \
    -rf json -rff "$out/jobs-opencl-nvidia.json" > "$out/jobs-opencl-nvidia.log" 2>&1
  echo "jobs opencl nvidia: rc=$?"; grep -E '^OpenClJobs\S* ' "$out/jobs-opencl-nvidia.log" | head -10
fi
cd "$out" && tar czf "$out/device-e.tar.gz" --exclude=device-e.tar.gz . 2>/dev/null; true
