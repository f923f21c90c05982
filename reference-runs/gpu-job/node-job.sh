#!/usr/bin/env bash
# The GPU job on the GPU node, from a checkout of this repo (gcc and the node's PyTorch; no JDK needed):
# C tests on CUDA, gpujob-bench in 3 processes, the unmodified C round trip with and without the interposer,
# ResNet-50 (CUDA graph, fp16) under PyTorch's own waits and through the interposer. Everything lands in
# $OUT/gpujob-node.tar.gz (or ./gpujob-node.tar.gz), re-packed after each step so a cut-off run keeps what it had.
#
#   [BENCH_PROCS=3] bash reference-runs/gpu-job/node-job.sh [RUNS_PER_RESNET_CONFIG (2)]
set -uo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-2}
dest=${OUT:-$PWD}
res=$(mktemp -d /tmp/gpujob-node.XXXXXX)/gpujob-node
mkdir -p "$res"
bin=/tmp/gpujob-bin ptx=$PWD/natives/src/main/resources/gpuos/natives/ptx
table=$PWD/profiler/src/main/resources/gpuos/profiler/syscalls-x86_64.txt
py=/opt/torch/.venv/bin/python3
export PYTHONUNBUFFERED=1
pack() { tar czf "$dest/gpujob-node.tar.gz" -C "$(dirname "$res")" gpujob-node; }
step() { echo "== $*" | tee -a "$res/steps.txt"; }
{ git rev-parse HEAD 2>/dev/null || echo "commit: unknown"; nvidia-smi -L; uname -r; } > "$res/node.txt" 2>&1

step "make all gpujob-gpu gpujob-test-bins"
make -s -C natives/src/main/c OUT=$bin all gpujob-gpu gpujob-test-bins > "$res/make.txt" 2>&1 || { cat "$res/make.txt"; pack; exit 1; }
step "gpujob-test (CPU logic, OpenCL on the registered platforms)"
$bin/gpujob-test $bin $ptx > "$res/test.txt" 2>&1; echo "rc=$?" >> "$res/test.txt"; tail -3 "$res/test.txt"
step "gpujob-test-cuda"
$bin/gpujob-test-cuda $ptx > "$res/test-cuda.txt" 2>&1; echo "rc=$?" >> "$res/test-cuda.txt"; tail -5 "$res/test-cuda.txt"
pack
for k in $(seq 1 "${BENCH_PROCS:-3}"); do
  step "gpujob-bench process $k"
  $bin/gpujob-bench $ptx --json "$res/bench-$k.json" > "$res/bench-$k.txt" 2>&1; echo "rc=$?" >> "$res/bench-$k.txt"
  pack
done
cat "$res/bench-1.txt"
rt=($bin/cuda-roundtrip $ptx/empty_kernel.ptx 5000 500 4096 auto blocking)
step "cuda-roundtrip plain"; "${rt[@]}" > "$res/roundtrip-plain.txt" 2>&1; cat "$res/roundtrip-plain.txt"
for wait in predict fd spin blocking; do
  step "cuda-roundtrip, LD_PRELOAD libgpujob-preload.so GPUJOB_WAIT=$wait"
  LD_PRELOAD=$bin/libgpujob-preload.so GPUJOB_WAIT=$wait GPUJOB_REPORT=$res/roundtrip-preload-$wait.json "${rt[@]}" > "$res/roundtrip-preload-$wait.txt" 2>&1
  cat "$res/roundtrip-preload-$wait.txt"
done
pack
if [[ -x $py ]]; then
  for r in $(seq 1 "$runs"); do
    for bs in 1 32; do
      common=(benchmarks/python/resnet_infer.py --libgpuos $bin/libgpuos.so --syscalls $table --batch $bs --modes graph --iters 300 --warmup 50)
      $py "${common[@]}" --label spin --out $res/resnet-spin-bs$bs-$r.json
      $py "${common[@]}" --label blocking --blocking-sync --out $res/resnet-blocking-bs$bs-$r.json
      for wait in predict fd; do
        LD_PRELOAD=$bin/libgpujob-preload.so GPUJOB_WAIT=$wait GPUJOB_REPORT=$res/resnet-job-$wait-bs$bs-$r.preload.json \
          $py "${common[@]}" --label job-$wait --out $res/resnet-job-$wait-bs$bs-$r.json
      done
      pack
    done
  done
else
  step "resnet: skipped ($py missing)"
fi
pack
echo "node-job: results in $dest/gpujob-node.tar.gz"
