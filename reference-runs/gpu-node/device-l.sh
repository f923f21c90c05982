#!/usr/bin/env bash
# NOT RUN YET (no node time was left on 2026-12-03); checked with bash -n only.
# A node call for issue 10 (~3 min): PyTorch ResNet-50 (graph, fp16, bs 1) with the default wait and
# through the final interposer (PREDICT) on one host, resumed into reference-runs/resnet/20261203-h200/sweep, which
# holds device-k.sh call 1's job-predict and job-fd runs (2 each). Needs .bundle/ carried (scripts/bundle first).
#   bash reference-runs/gpu-node/device-l.sh
# Results: $OUT/resnet/gpuos-results.tar.gz (the whole folder: its earlier runs and the new ones).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/device-l}; mkdir -p "$out"
rm -rf /tmp/b /tmp/rl; mkdir -p /tmp/b /tmp/rl && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
cp -r reference-runs/resnet/20261203-h200/sweep /tmp/rl/
POINTS='waits-bs1-fp16-(default|job-predict)' RUNS=5 BUDGET_S=${BUDGET_S:-110} OUT=$out/resnet \
  bash /tmp/b/gpuos-bundle/run resnet all --resume /tmp/rl > "$out/resnet.log" 2>&1
echo "resnet: rc=$?"; grep -E 'resnet_infer: .* graph |node-resnet:' "$out/resnet.log" | tail -9
