#!/usr/bin/env bash
# The ResNet-50 sweep of issue 10 item 1 on the GPU node, from a checkout (gcc and the node's PyTorch; no JDK).
# Every run is its own process (the run is the unit of replication), RUNS (5) per point; a point's run k lands in
# OUTDIR/<point>/run-<k>.json and is skipped when that file exists, so parts and re-runs resume into one folder.
#
#   bash reference-runs/resnet/node-resnet.sh OUTDIR [PART|all|list]      (RUNS=5, BUDGET_S=420, POINTS=REGEX)
# POINTS keeps only the points whose name matches (e.g. 'waits-bs1-fp16-.*'), so a short call can take the most
# needed first; parts then count over the kept points.
#
# Points (iters 300, warm-up 50; "eager+graph" is one process giving both modes, so two points per process):
#   batch    graph fp16, default wait, caching allocator, batch 1 2 4 8 16 32 64            7 points
#   waits    batch 1 and 32 x fp16/fp32 x wait default/blocking/job-fd/job-predict,
#            eager+graph, caching allocator                                                 16 processes per run
#   alloc    allocator off: batch 1 and 32, fp16, wait default/blocking, eager (graph capture
#            cannot record the uncached allocator's cudaMalloc)                              4 points
#   iters    inferences per run 100/1000/3000: batch 1 graph fp16, wait blocking (the one that
#            makes syscalls: are they per inference?)                                        3 points
# = 30 processes per run x 5 runs = 150 processes. At ~12 s each (start, model build, warm-up; bs 1 graph is
# ~1 ms per inference, eager ~5-9 ms) that is ~30 min: parts 1-5 take 30 processes each (~6-7 min). A part also
# stops starting processes after BUDGET_S seconds, so it never runs past an 8-minute call; run it again to resume.
set -uo pipefail
# Paths default to this checkout; the bundle (scripts/bundle) sets them to its own copies.
root=$(cd "$(dirname "$0")/../.." && pwd)
infer=${RESNET_INFER:-$root/benchmarks/python/resnet_infer.py}
csrc=${NATIVES_C:-$root/natives/src/main/c}
out=${1:?usage: node-resnet.sh OUTDIR [PART|all|list]}
part=${2:-all}
runs=${RUNS:-5} budget=${BUDGET_S:-420} per_part=30
py=${PY:-/opt/torch/.venv/bin/python3}
bin=${BIN:-/tmp/gpujob-bin}
table=${SYSCALL_TABLE:-$root/profiler/src/main/resources/gpuos/profiler/syscalls-x86_64.txt}
export PYTHONUNBUFFERED=1

points() {   # name|arguments, in the order parts take them
  for bs in 1 2 4 8 16 32 64; do echo "batch-bs$bs|--batch $bs --modes graph --dtype fp16 --wait default"; done
  for bs in 1 32; do for dt in fp16 fp32; do for w in default blocking job-fd job-predict; do
    echo "waits-bs$bs-$dt-$w|--batch $bs --modes eager,graph --dtype $dt --wait $w"
  done; done; done
  for bs in 1 32; do for w in default blocking; do echo "alloc-off-bs$bs-$w|--batch $bs --modes eager --dtype fp16 --wait $w --allocator off"; done; done
  for it in 100 1000 3000; do echo "iters-$it|--batch 1 --modes graph --dtype fp16 --wait blocking --iters $it"; done
}
# Run k of every point before run k+1 of any: a part cut short leaves whole runs spread over all points.
units() { for k in $(seq 1 "$runs"); do points | grep -E "^(${POINTS:-.*})\|" | sed "s/^/$k|/"; done; }
total=$(units | wc -l); parts=$(( (total + per_part - 1) / per_part ))
if [[ $part == list ]]; then echo "$total processes in $parts parts of $per_part"; units | awk -F'|' -v n=$per_part '{print "part " int((NR-1)/n)+1 ": " $2 " run " $1}'; exit 0; fi
if [[ $part != all ]] && ! [[ $part =~ ^[0-9]+$ && $part -ge 1 && $part -le $parts ]]; then echo "node-resnet: PART must be 1..$parts, all or list, got '$part'" >&2; exit 2; fi
[[ -x $py ]] || { echo "node-resnet: skipped: $py missing (PyTorch is on the GPU node)"; exit 3; }
mkdir -p "$out"
[[ -f $out/node.txt ]] || { echo "commit ${GPUOS_COMMIT:-$(git -C "$root" rev-parse HEAD 2>/dev/null)}"; nvidia-smi -L; uname -r; $py -c 'import torch, torchvision; print(torch.__version__, torchvision.__version__)'; } > "$out/node.txt" 2>&1
if [[ ! -f $bin/libgpuos.so || ! -f $bin/libgpujob-preload.so ]]; then
  make -s -C "$csrc" OUT="$bin" "$bin/libgpuos.so" "$bin/libgpujob-preload.so" > "$out/make.txt" 2>&1 || { tail -20 "$out/make.txt"; exit 1; }
fi
start=$SECONDS n=0 ran=0 skipped=0
while IFS='|' read -r k name args; do
  n=$((n + 1))
  [[ $part == all ]] || (( (n - 1) / per_part + 1 == part )) || continue
  f=$out/$name/run-$k.json
  [[ -f $f ]] && { skipped=$((skipped + 1)); continue; }
  if (( SECONDS - start > budget )); then echo "node-resnet: ${budget}s used: stopping; run the same command again to resume"; break; fi
  mkdir -p "$out/$name"
  # shellcheck disable=SC2086 # $args is a list of options
  timeout 120 $py "$infer" --libgpuos "$bin/libgpuos.so" --syscalls "$table" --gpujob-preload "$bin/libgpujob-preload.so" \
      --iters 300 --warmup 50 $args --label "$name" --out "$f" > "$out/$name/run-$k.log" 2>&1
  rc=$?
  tail -n 3 "$out/$name/run-$k.log"
  [[ $rc == 3 ]] && { echo "node-resnet: skipped: $(tail -1 "$out/$name/run-$k.log")"; exit 3; }
  [[ $rc == 0 || $rc == 4 ]] || echo "node-resnet: $name run $k: exit $rc (log: $out/$name/run-$k.log)"
  ran=$((ran + 1))
done < <(units)
echo "node-resnet: part $part: $ran processes run, $skipped already there, $((SECONDS - start)) s; summary: python3 reference-runs/resnet/summarize.py $out"
