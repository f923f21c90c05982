#!/usr/bin/env bash
# Robustness under load (issue 10 item 4) on the GPU node: N = 1 2 4 8 16 32 concurrent ResNet-50 inference
# processes (graph, fp16, batch 1) per wait: default (spin), blocking, job-predict, job-fd. Per wait, 32 processes
# start once and time rounds of N: in round k the first N_k of them run ITERS inferences together, released by one
# barrier (resnet_infer.py --load-rounds); the others idle (a process that only holds its CUDA context takes no CPU).
# Process 0 alone carries the eBPF counter (syscalls per inference; 32 counters would tax every syscall 32 times);
# every process records latency samples, CPU time and context switches (getrusage).
#
#   bash reference-runs/resnet/node-load.sh OUTDIR        (ITERS=100, RUN=1; results in OUTDIR/<wait>/run-<RUN>/)
#
# Time, for one 8-minute call: per wait, 32 processes start together (~12 s alone, ~40 s when 32 share 16 cores)
# and then 63 process-rounds x 100 inferences; the GPU replays one graph at a time, ~1 ms each, so >= 6.3 s per wait,
# say 30 s where spinning oversubscribes the CPU. 4 waits x (40 + 30) s ~ 4.7 min. A wait whose folder holds
# round results already is skipped; BUDGET_S (400) stops starting waits. A second RUN=2 call gives a second
# replicate (the summarizer's intervals are over runs).
set -uo pipefail
# Paths default to this checkout; the bundle (scripts/bundle) sets them to its own copies.
root=$(cd "$(dirname "$0")/../.." && pwd)
infer=${RESNET_INFER:-$root/benchmarks/python/resnet_infer.py}
csrc=${NATIVES_C:-$root/natives/src/main/c}
out=${1:?usage: node-load.sh OUTDIR}
iters=${ITERS:-100} run=${RUN:-1} budget=${BUDGET_S:-400} rounds=1,2,4,8,16,32 procs=32
py=${PY:-/opt/torch/.venv/bin/python3}
bin=${BIN:-/tmp/gpujob-bin}
table=${SYSCALL_TABLE:-$root/profiler/src/main/resources/gpuos/profiler/syscalls-x86_64.txt}
export PYTHONUNBUFFERED=1
[[ -x $py ]] || { echo "node-load: skipped: $py missing (PyTorch is on the GPU node)"; exit 3; }
mkdir -p "$out"
[[ -f $out/node.txt ]] || { echo "commit ${GPUOS_COMMIT:-$(git -C "$root" rev-parse HEAD 2>/dev/null)}"; nvidia-smi -L; uname -r; nproc; } > "$out/node.txt" 2>&1
if [[ ! -f $bin/libgpuos.so || ! -f $bin/libgpujob-preload.so ]]; then
  make -s -C "$csrc" OUT="$bin" "$bin/libgpuos.so" "$bin/libgpujob-preload.so" > "$out/make.txt" 2>&1 || { tail -20 "$out/make.txt"; exit 1; }
fi
start=$SECONDS
IFS=, read -r -a ns <<< "$rounds"
for wait in default blocking job-predict job-fd; do
  d=$out/$wait/run-$run
  [[ -f $d/done ]] && { echo "node-load: $wait run $run: there already"; continue; }
  if (( SECONDS - start > budget )); then echo "node-load: ${budget}s used: stopping; run again to resume"; break; fi
  rm -rf "$d"; mkdir -p "$d/barrier"
  pids=()
  trap 'kill "${pids[@]}" 2>/dev/null' EXIT   # a cut-off call leaves no process waiting at a barrier
  for i in $(seq 0 $((procs - 1))); do
    counter=(); [[ $i == 0 ]] && counter=(--libgpuos "$bin/libgpuos.so" --syscalls "$table")
    $py "$infer" "${counter[@]}" --gpujob-preload "$bin/libgpujob-preload.so" --wait "$wait" \
        --batch 1 --dtype fp16 --modes graph --iters "$iters" --warmup 20 --barrier "$d/barrier" --load-rounds "$rounds" \
        --load-index "$i" --label "load-$wait" --out "$d/proc-$i.json" > "$d/proc-$i.log" 2>&1 &
    pids+=($!)
  done
  ok=1
  for k in "${!ns[@]}"; do
    t0=$SECONDS
    until (( $(find "$d/barrier" -name "round-$k.*.ready" | wc -l) >= ns[k] )); do
      sleep 0.05
      if (( SECONDS - t0 > 180 )); then echo "node-load: $wait round $k: only $(find "$d/barrier" -name "round-$k.*.ready" | wc -l) of ${ns[k]} ready after 180 s"; ok=0; break 2; fi
    done
    touch "$d/barrier/round-$k"
    echo "node-load: $wait: round $k (N=${ns[k]}) started at $((SECONDS - start)) s"
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "node-load: $wait: a process failed: $(tail -qn1 "$d"/proc-*.log | grep -v '^resnet_infer: load' | head -3)"; ok=0; }; done
  if [[ $ok == 1 ]]; then touch "$d/done"; else for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; fi
  grep -h "resnet_infer: skipped" "$d"/proc-0.log && exit 3
done
echo "node-load: $((SECONDS - start)) s; summary: python3 reference-runs/resnet/summarize.py $out"
