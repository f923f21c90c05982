#!/usr/bin/env bash
# Node calls of 2026-12-03 (issues 9, 10, 14). Needs .bundle/ carried (scripts/bundle here first). Results under $OUT,
# packed into $OUT/device-g.tar.gz at the end of each call.
#   bash reference-runs/gpu-node/device-g.sh 1     the bundle's GPU tests and gpujob's C tests on CUDA (the folded
#                                                  submission, the OpenCL release change), gpujob-bench, the C round
#                                                  trip through the interposer (run tests job); then the JMH launch
#                                                  round trip under load (node-load-jmh.sh: N = 1..32 per wait mode)
#   bash reference-runs/gpu-node/device-g.sh 2     the ResNet-50 sweep points that the Phase-4 targets and the
#                                                  Phase-1 constraints read (waits at batch 1 fp16, the batch axis, the
#                                                  inference-count axis), 5 runs each, resumed into the committed sweep/
#   bash reference-runs/gpu-node/device-g.sh 3     the second replicate of the ResNet load runs (RUN=2), then call 2's
#                                                  sweep again for what it left (it resumes)
# POINTS and RUNS pass to resnet/node-resnet.sh (see there); SWEEP_S: call 3's sweep budget.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/device-g}; mkdir -p "$out"
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
B=/tmp/b/gpuos-bundle
git rev-parse HEAD > "$out/commit.txt" 2>/dev/null; cp "$B/BUILD-INFO" "$out/"
sweep=reference-runs/resnet/20261202-h200/sweep
export POINTS=${POINTS:-'waits-bs1-fp16-.*|batch-.*|iters-.*'} RUNS=${RUNS:-5}
resnet_sweep() {  # resumes from the committed sweep/ (only that: the tar stays small)
  rm -rf /tmp/rs; mkdir -p /tmp/rs && cp -r "$sweep" /tmp/rs/
  OUT=$out/resnet BUDGET_S=$1 timeout $(($1 + 60)) bash "$B/run" resnet all --resume /tmp/rs > "$out/resnet.log" 2>&1
  echo "resnet sweep: rc=$?"; grep -E 'node-resnet:' "$out/resnet.log" | tail -3
}
case ${1:?call 1, 2 or 3} in
  1)
    OUT=$out/t timeout 330 bash "$B/run" tests job > "$out/tests-job.log" 2>&1; echo "tests job: rc=$?"
    grep -E 'tests (successful|failed|aborted|skipped|found)|passed, |FAILED|gj_submit|^T=' "$out/tests-job.log" | head -60
    timeout 200 bash reference-runs/gpu-job/node-load-jmh.sh "$out/load-jmh" > "$out/load-jmh.log" 2>&1; echo "load-jmh: rc=$?"
    python3 reference-runs/gpu-job/summarize-load-jmh.py "$out/load-jmh" 2>&1 | tail -30
    ;;
  2) resnet_sweep 470 ;;
  3)
    OUT=$out/load RUN=2 BUDGET_S=290 timeout 370 bash "$B/run" resnet-load > "$out/load.log" 2>&1; echo "resnet-load: rc=$?"
    tail -5 "$out/load.log"
    resnet_sweep "${SWEEP_S:-150}"
    ;;
esac
cd "$out" && tar czf "$out/device-g.tar.gz" --exclude=device-g.tar.gz . 2>/dev/null; true
