#!/usr/bin/env bash
# Node calls of 2026-12-03, second session (issues 9 and 10), each under 10 minutes. Needs .bundle/ carried
# (scripts/bundle here first). Results: $OUT/device-k.tar.gz (a call returns only a few files), holding j/ (device-j's
# outputs), sweep/ (this call's bundle run), rs-sweep/ (the node's whole sweep copy) and the logs.
#   bash reference-runs/gpu-node/device-k.sh 1   device-j.sh (closes issue 9: the interposer, PyTorch through it, the
#                                                jobs family), then the ResNet sweep with the call's remaining time
#   bash reference-runs/gpu-node/device-k.sh 2   the ResNet sweep only (~9 min)
# The sweep takes what issue 10 still lacks (POINTS below, 5 runs each) and resumes from the committed sweep/ and
# from /tmp/rs/sweep, which outlives a call while the node stays warm: back-to-back calls need no merge between
# them. After the last call: python3 reference-runs/resnet/merge-runs.py <its tar>/rs-sweep reference-runs/resnet/20261202-h200/sweep.
# Ran 2026-12-03 (bundle of 08d9a97): call 1, then call 2 twice; each 333-540 s.
set -uo pipefail
cd "$(dirname "$0")/../.."
t0=$SECONDS
out=${OUT:-$PWD/device-k}; mkdir -p "$out"
sweep=reference-runs/resnet/20261202-h200/sweep
export POINTS=${POINTS:-'waits-bs32-.*|waits-bs1-fp32-.*|alloc-.*'} RUNS=${RUNS:-5}
case ${1:?call 1 or 2} in
  1) OUT=$out/j timeout 420 bash reference-runs/gpu-node/device-j.sh; echo "device-j: rc=$?" ;;
  2) rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1 ;;
  *) echo "device-k: call must be 1 or 2, got '$1'" >&2; exit 2 ;;
esac
B=/tmp/b/gpuos-bundle
cp "$B/BUILD-INFO" "$out/"; nvidia-smi -L > "$out/gpu.txt" 2>&1
# The call's limit is 600 s: the last process may start at the budget's end and take ~25 s, packing ~10 s.
budget=$((530 - (SECONDS - t0)))
if (( budget > 30 )); then
  mkdir -p /tmp/rs/sweep && cp -rn "$sweep"/. /tmp/rs/sweep/ # committed runs win; earlier calls' runs add
  OUT=$out/sweep BUDGET_S=$budget timeout $((budget + 45)) bash "$B/run" resnet all --resume /tmp/rs > "$out/sweep.log" 2>&1
  echo "resnet sweep (budget ${budget}s): rc=$?"; grep -E 'node-resnet:' "$out/sweep.log" | tail -3
  mkdir -p /tmp/rs/new && tar xzf "$out/sweep/gpuos-results.tar.gz" -C /tmp/rs/new 2>/dev/null &&
    cp -rn /tmp/rs/new/gpuos-results/resnet/sweep/. /tmp/rs/sweep/; rm -rf /tmp/rs/new
  ls /tmp/rs/sweep | grep -E "^(${POINTS})$" | while read -r p; do echo "  $p: $(ls /tmp/rs/sweep/$p | grep -cE '^run-[0-9]+\.json$') runs"; done
fi
echo "device-k: $((SECONDS - t0)) s"
# Few files come back from a call: one tar with the call's outputs and the node's whole sweep copy.
cp -r /tmp/rs/sweep "$out/rs-sweep" 2>/dev/null
cd "$out" && tar czf /tmp/device-k.tar.gz . && rm -rf "${out:?}"/* && mv /tmp/device-k.tar.gz "$out/"
